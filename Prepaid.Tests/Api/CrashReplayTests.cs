using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// A batch aborted half way (the database refuses a write in the middle of it, as a crash or a full disk would)
/// leaves nothing behind, and replaying it bills exactly what a clean delivery bills (R9).
/// </summary>
public class CrashReplayTests
{
    static object[] Batch(int meters, int perMeter) =>
        Enumerable.Range(1, perMeter).SelectMany(h => Enumerable.Range(1, meters).Select(m => (object)new
        {
            serial = $"E-{m}", at = DateTimeOffset.Parse("2026-11-01T00:00:00+08:00").AddHours(h).ToString("yyyy-MM-ddTHH:mm:sszzz"),
            registers = new { total = (h * (1.37m + m * 0.11m)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) },
        })).ToArray();

    static async Task<(PrepaidApp App, SiteBuilder Site, long[] Accounts)> SiteAsync(int meters)
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("0.6853");
        var accounts = new long[meters];
        for (var m = 1; m <= meters; m++)
        {
            var meter = await site.MeterAsync($"E-{m}");
            accounts[m - 1] = (await site.AccountAsync(await site.TenantAsync($"Shop {m}", phone: $"1380000{m:0000}"), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
            await site.TopUpAsync(accounts[m - 1], "100.00", $"open-{m}");
        }
        return (app, site, accounts);
    }

    [Fact]
    public async Task Batch_AbortedHalfWay_LeavesNothingAndReplayBillsExactlyOnce_R9()
    {
        var batch = Batch(meters: 5, perMeter: 40);
        var (clean, cleanSite, cleanAccounts) = await SiteAsync(5);
        using var _clean = clean;
        await cleanSite.ReadingsAsync(batch);
        var expected = await Task.WhenAll(cleanAccounts.Select(cleanSite.BalanceAsync));

        var (app, site, accounts) = await SiteAsync(5);
        using var _app = app;
        var admin = await app.AdminAsync();
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
            await c.ExecuteAsync("""
                CREATE TRIGGER crash_half_way BEFORE INSERT ON readings
                WHEN (SELECT COUNT(*) FROM readings WHERE status = 'billed') >= 60
                BEGIN SELECT RAISE(ABORT, 'simulated crash'); END
                """);
        var crashed = await admin.PostAsync("/api/readings", System.Net.Http.Json.JsonContent.Create(batch));
        Assert.False(crashed.IsSuccessStatusCode);
        Assert.Equal(["100.00", "100.00", "100.00", "100.00", "100.00"], await Task.WhenAll(accounts.Select(site.BalanceAsync)));
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings WHERE status <> 'baseline'"));
            await c.ExecuteAsync("DROP TRIGGER crash_half_way");
        }

        await site.ReadingsAsync(batch);
        await site.ReadingsAsync(batch); // and once more, as a gateway that never heard the answer would
        Assert.Equal(expected, await Task.WhenAll(accounts.Select(site.BalanceAsync)));
        Assert.True((await admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
    }
}
