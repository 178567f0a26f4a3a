using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>
/// A meter's billing state while a batch runs: its spec, its open account and tariff, its last billed reading,
/// the R4 exact cost and what was debited, and the reading that holds it (R8). Loaded once per batch, saved once.
/// </summary>
public sealed class MeterBilling
{
    public required long MeterId { get; init; }
    public required long SiteId { get; init; }
    public required MeterSpec Spec { get; init; }
    public long? AccountMeterId { get; init; }
    public long? AccountId { get; init; }
    public long? TariffId { get; init; }
    public long LastAtMs { get; set; }
    public Registers? Last { get; set; }
    public MeterCharge Charge { get; set; }
    public long? HeldReadingId { get; set; }
    public long SeenAtMs { get; set; }
    public bool Dirty { get; set; }

    sealed record Row(long Id, long SiteId, string Utility, string Multiplier, string RegisterMax, string RatedMaxPerHour, string Resolution,
        long? AccountMeterId, long? AccountId, long? TariffId, string? ExactCost, long? DebitedFen, long? LastAtMs,
        long? LastTotalMilli, long? LastSharpMilli, long? LastPeakMilli, long? LastFlatMilli, long? LastValleyMilli, long? HeldReadingId, long? SeenAtMs);

    public static async Task<Dictionary<long, MeterBilling>> LoadAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IEnumerable<long> meterIds)
    {
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT m.id, m.site_id, m.utility, m.multiplier, m.register_max, m.rated_max_per_hour, m.resolution,
                   am.id AS account_meter_id, am.account_id, am.tariff_id, am.exact_cost, am.debited_fen, am.last_at_ms,
                   am.last_total_milli, am.last_sharp_milli, am.last_peak_milli, am.last_flat_milli, am.last_valley_milli,
                   am.held_reading_id, am.seen_at_ms
            FROM meters m LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
            WHERE m.id IN {dialect.IdsFromJson("@ids")}
            """, new { ids = System.Text.Json.JsonSerializer.Serialize(meterIds.Distinct()) }, tx);
        return rows.ToDictionary(r => r.Id, r =>
        {
            ApiFormat.TryUtility(r.Utility, out var utility);
            return new MeterBilling
            {
                MeterId = r.Id, SiteId = r.SiteId,
                Spec = new MeterSpec(utility, ApiFormat.ParseDecimal(r.Multiplier), ApiFormat.ParseDecimal(r.RegisterMax),
                    ApiFormat.ParseDecimal(r.RatedMaxPerHour), ApiFormat.ParseDecimal(r.Resolution)),
                AccountMeterId = r.AccountMeterId, AccountId = r.AccountId, TariffId = r.TariffId,
                LastAtMs = r.LastAtMs ?? 0,
                Last = r.LastTotalMilli is { } t ? RegisterJson.FromMilli(t, r.LastSharpMilli, r.LastPeakMilli, r.LastFlatMilli, r.LastValleyMilli) : null,
                Charge = r.ExactCost is null ? MeterCharge.Opening : new MeterCharge(ApiFormat.ParseDecimal(r.ExactCost), new Money(r.DebitedFen ?? 0)),
                HeldReadingId = r.HeldReadingId, SeenAtMs = r.SeenAtMs ?? long.MinValue,
            };
        });
    }

    public static async Task SaveAsync(DbConnection connection, DbTransaction tx, IEnumerable<MeterBilling> meters, CancellationToken ct)
    {
        await using var update = connection.CreateCommand();
        update.Transaction = tx;
        update.CommandText = """
            UPDATE account_meters SET exact_cost = @exactCost, debited_fen = @debitedFen, last_at_ms = @lastAtMs,
                last_total_milli = @total, last_sharp_milli = @sharp, last_peak_milli = @peak, last_flat_milli = @flat, last_valley_milli = @valley,
                held_reading_id = @held, seen_at_ms = @seen
            WHERE id = @id
            """;
        var p = new[] { "@exactCost", "@debitedFen", "@lastAtMs", "@total", "@sharp", "@peak", "@flat", "@valley", "@held", "@seen", "@id" }
            .Select(n => BulkInsert.Parameter(update, n)).ToArray();
        foreach (var m in meters)
        {
            if (!m.Dirty || m.AccountMeterId is null) continue;
            var last = m.Last!;
            p[0].Value = m.Charge.ExactCost.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p[1].Value = m.Charge.Debited.Fen;
            p[2].Value = m.LastAtMs;
            p[3].Value = ApiFormat.Milli(last.Total);
            p[4].Value = (object?)RegisterJson.Milli(last.Sharp) ?? DBNull.Value;
            p[5].Value = (object?)RegisterJson.Milli(last.Peak) ?? DBNull.Value;
            p[6].Value = (object?)RegisterJson.Milli(last.Flat) ?? DBNull.Value;
            p[7].Value = (object?)RegisterJson.Milli(last.Valley) ?? DBNull.Value;
            p[8].Value = (object?)m.HeldReadingId ?? DBNull.Value;
            p[9].Value = m.SeenAtMs;
            p[10].Value = m.AccountMeterId.Value;
            await update.ExecuteNonQueryAsync(ct);
            m.Dirty = false;
        }
    }
}
