using System.Net;
using Dapper;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R27: POST /api/meters/{id}/replace swaps a meter inside its account.</summary>
public class MeterSwapTests
{
    const string Opened = "2026-11-01T00:00:00+08:00";

    static object Swap(string at, string final, string serial, string initial, object? connection = null) => new
    {
        at, finalReading = new { registers = new { total = final } }, newMeter = new { serial, connection }, initialReading = new { registers = new { total = initial } },
    };

    [Fact] // the acceptance case: a swap mid-month loses and doubles no fen (R4 over the swap)
    public async Task SwapMidMonth_LosesAndDoublesNoFen_R27_R4()
    {
        using var s = await TenancySite.CreateAsync();
        // 1.0050 per kWh: each kWh costs 100.5 fen, so rounding each meter's cost on its own would gain a fen per meter.
        var price = await s.Site.FlatTariffAsync("1.0050");
        var old = await s.Site.MeterAsync("E-OLD");
        var single = await s.Site.MeterAsync("E-ONE");
        var a = await s.AccountAsync(old, price, "0", Opened, "Swapped", "13800000001");
        var b = await s.AccountAsync(single, price, "0", Opened, "Reference", "13800000002");

        await s.ReadingAsync(old, "2026-11-01T12:00:00+08:00", "1.00");
        await s.ReadingAsync(single, "2026-11-01T12:00:00+08:00", "1.00");
        var swapped = await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace", Swap("2026-11-02T07:00:00+08:00", "3.00", "E-NEW", "0.00"),
            expected: HttpStatusCode.Created);
        await s.ReadingAsync(single, "2026-11-02T07:00:00+08:00", "3.00");
        var fresh = swapped.GetProperty("newMeterId").GetInt64();
        await s.AtAsync("2026-11-30T00:00:00+08:00");
        await s.ReadingAsync(fresh, "2026-11-15T12:00:00+08:00", "1.00");
        await s.ReadingAsync(single, "2026-11-15T12:00:00+08:00", "4.00");
        await s.ReadingAsync(fresh, "2026-11-29T12:00:00+08:00", "3.00");
        await s.ReadingAsync(single, "2026-11-29T12:00:00+08:00", "6.00");

        // 6 kWh × 1.0050 = 6.03 whichever meters measured it; meter by meter (1 + 2 + 1 + 2 kWh) would round to 6.04.
        Assert.Equal(-603, await s.SumAsync(a, "consumption"));
        Assert.Equal(-603, await s.SumAsync(b, "consumption"));
        Assert.Equal(await s.BalanceFenAsync(b), await s.BalanceFenAsync(a));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R27: same account and tariff, both series readable, the new meter wired in the same step and its commands follow it
    public async Task Swap_KeepsAccountTariffAndBalance_BothSeriesReadable_ConnectionAndCommandsFollow_R27()
    {
        using var s = await TenancySite.CreateAsync();
        var old = await s.Site.MeterAsync("E-OLD");
        var a = await s.AccountAsync(old, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "5.00", "a-1");
        var gateway = (await s.Admin.PostOkAsync("/api/gateways", new { siteId = s.Site.SiteId, name = "GW", protocol = "modbusTcp", host = "127.0.0.1", port = 1502 })).Id();
        var bus = (await s.Admin.PostOkAsync($"/api/gateways/{gateway}/buses", new { name = "Bus" })).Id();
        var wired = await s.Admin.PutAsync($"/api/meters/{old}/connection",
            System.Net.Http.Json.JsonContent.Create(new { busId = bus, address = "7", profile = "generic-modbus" }));
        Assert.True(wired.IsSuccessStatusCode);
        // 10 kWh at 1.20 takes 5.00 to −7.00: arrears, a trip is asked of the old meter (and waits as a command).
        await s.ReadingAsync(old, "2026-11-01T12:00:00+08:00", "110.00");
        var operatorCommand = await s.Admin.PostOkAsync($"/api/meters/{old}/commands", new { kind = "trip" });

        var swapped = await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace", Swap("2026-11-02T07:00:00+08:00", "112.50", "E-NEW", "0.40"),
            expected: HttpStatusCode.Created);
        var fresh = swapped.GetProperty("newMeterId").GetInt64();

        Assert.Equal("3.00", swapped.Str("finalBilled"));                 // 2.5 kWh on the old meter's final reading
        var account = await s.Admin.GetOkAsync($"/api/accounts/{a}");
        var meter = Assert.Single(account.GetProperty("meters").EnumerateArray());
        Assert.Equal(fresh, meter.GetProperty("meterId").GetInt64());
        Assert.Equal(s.Flat, meter.GetProperty("tariffId").GetInt64());
        Assert.Equal("-10.00", account.Str("balance"));
        Assert.Equal("15.00", meter.Str("charged"));                        // cumulative across the swap (R4)
        // Both series stay readable.
        var oldSeries = (await s.Admin.GetOkAsync($"/api/meters/{old}/readings")).EnumerateArray().Select(r => r.GetProperty("registers").Str("total")).ToList();
        var newSeries = (await s.Admin.GetOkAsync($"/api/meters/{fresh}/readings")).EnumerateArray().Select(r => r.GetProperty("registers").Str("total")).ToList();
        Assert.Equal(["112.5", "110", "100"], oldSeries);
        Assert.Equal(["0.4"], newSeries);
        // The new meter took the old one's place on the bus, its waiting commands, and the trip its account requires.
        await using var c = s.Sql();
        Assert.Equal(fresh, await c.ExecuteScalarAsync<long>("SELECT meter_id FROM meter_connections WHERE bus_id = @bus", new { bus }));
        Assert.Equal("expired", await c.ExecuteScalarAsync<string>("SELECT state FROM device_commands WHERE id = @id",
            new { id = operatorCommand.GetProperty("commandId").GetInt64() }));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_commands WHERE meter_id = @fresh AND kind = 'trip' AND source = 'operator' AND state = 'requested'", new { fresh }));
        Assert.True(await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox WHERE meter_id = @fresh AND kind = 'switchRequested' AND payload_json LIKE '%\"trip\"%'", new { fresh }) >= 1);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE meter_id = @old AND consumed_at_ms IS NULL", new { old }));

        // The next reading of the new meter bills from its initial reading.
        var next = await s.ReadingAsync(fresh, "2026-11-02T08:00:00+08:00", "1.40");
        Assert.Equal("1.20", next[0].Str("amount"));
        var history = (await s.Admin.GetOkAsync($"/api/meters/{fresh}/replacements")).EnumerateArray().Single();
        Assert.Equal("E-OLD", history.Str("oldSerial"));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R27: the same swap again answers the first result; a taken serial, or an instant before a billed reading, is refused whole
    public async Task Swap_Replayed_AnswersTheFirst_RefusalsChangeNothing_R27()
    {
        using var s = await TenancySite.CreateAsync();
        var old = await s.Site.MeterAsync("E-OLD");
        await s.Site.MeterAsync("E-TAKEN");
        await s.AccountAsync(old, s.Flat, "100.00", Opened);
        await s.ReadingAsync(old, "2026-11-01T12:00:00+08:00", "110.00");
        var snapshot = await DatabaseSnapshot.TakeAsync(s.App.DatabasePath);

        Assert.Contains("newMeter.serial", (await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace",
            Swap("2026-11-02T07:00:00+08:00", "112.00", "E-TAKEN", "0"), expected: HttpStatusCode.Conflict)).ErrorFields());
        Assert.Contains("at", (await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace",
            Swap("2026-11-01T11:00:00+08:00", "112.00", "E-NEW", "0"), expected: HttpStatusCode.Conflict)).ErrorFields());
        Assert.Contains("finalReading.registers", (await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace",
            Swap("2026-11-02T07:00:00+08:00", "105.00", "E-NEW", "0"), expected: HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Empty((await DatabaseSnapshot.TakeAsync(s.App.DatabasePath)).ChangesSince(snapshot));

        var body = Swap("2026-11-02T07:00:00+08:00", "112.00", "E-NEW", "0");
        var first = await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace", body, expected: HttpStatusCode.Created);
        var again = await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace", body);
        Assert.Equal(first.GetProperty("newMeterId").GetInt64(), again.GetProperty("newMeterId").GetInt64());
        await s.AssertLedgerHoldsAsync();
    }
}
