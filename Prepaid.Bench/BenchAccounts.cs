using System.Data.Common;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Readings;

namespace Prepaid.Bench;

/// <summary>
/// The benches' site accounts: one time-of-use tariff and, on every meter, an account of its own from a zero opening
/// reading, with an overdraft no bench reaches, so every reading is priced and debited and nothing trips.
/// </summary>
public static class BenchAccounts
{
    /// <summary>The bench tariff's one version (IngestBench.PeriodAt has the same segments).</summary>
    public const string TouVersions = """
        [{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tou","prices":{"sharp":"1.1012","peak":"0.9863","flat":"0.6853","valley":"0.3211"},
          "segments":[{"from":"00:00","to":"08:00","period":"valley"},{"from":"08:00","to":"10:00","period":"flat"},{"from":"10:00","to":"12:00","period":"sharp"},
                      {"from":"12:00","to":"18:00","period":"peak"},{"from":"18:00","to":"22:00","period":"flat"},{"from":"22:00","to":"00:00","period":"valley"}]}]
        """;

    /// <param name="withPeriods">Whether the meter at that position opens with the four period registers as well as the total.</param>
    public static async Task OpenAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, long siteId, IReadOnlyList<long> meterIds,
        DateTimeOffset opened, Func<int, bool> withPeriods)
    {
        await SiteLedger.EnsureAsync(connection, tx, dialect, siteId);
        var tariffId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO tariffs (site_id, name, utility, versions_json, created_at_ms) VALUES (@siteId, 'TOU', 'electricity', @versions, 0) RETURNING id",
            new { siteId, versions = TouVersions }, tx);
        for (var i = 0; i < meterIds.Count; i++)
        {
            var tenantId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO tenants (name, phone, created_at_ms) VALUES (@name, '13800000000', 0) RETURNING id", new { name = $"Shop {i}" }, tx);
            var periods = withPeriods(i) ? "0" : null;
            var (_, refusal) = await AccountOpening.OpenAsync(connection, tx, dialect, new OpenAccountRequest(tenantId, null,
                [new AccountMeterDto(meterIds[i], tariffId, new OpeningReadingDto(opened.ToString("O"), new RegistersDto("0", periods, periods, periods, periods)))],
                "20.00", "10.00", "100000.00", null, "0"), 0);
            if (refusal is not null) throw new InvalidOperationException($"Could not open a bench account: {refusal}");
        }
    }
}
