using System.Globalization;
using System.Net;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R30's estimate where tenancy needs a reading nobody took: a move-out (R26), and never across a meter swap (R27).</summary>
public class EstimatedFinalReadingTests
{
    const string Opened = "2026-11-01T00:00:00+08:00";

    static async Task DailyReadingsAsync(TenancySite s, long meter, int days)
    {
        for (var i = 1; i <= days; i++)
            await s.ReadingAsync(meter, $"2026-11-{i:00}T12:00:00+08:00", (100 + 2 * i).ToString("0.00", CultureInfo.InvariantCulture));
    }

    [Fact] // R26 + R30: no final reading given or stored, ten days of readings: the move-out bills an estimate, stored as one
    public async Task MoveOut_WithoutFinalReading_BillsAnEstimate_MarkedEstimated_R26_R30()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "100.00", "a-1");
        await s.AtAsync("2026-11-12T12:00:00+08:00");
        await DailyReadingsAsync(s, meter, 10);

        var closed = await s.CloseAsync(a, new { at = "2026-11-11T12:00:00+08:00", settle = "cash" });

        var final = closed.GetProperty("finalReadings")[0];
        Assert.Equal("estimated", final.Str("source"));
        var total = decimal.Parse(final.GetProperty("registers").Str("total"), CultureInfo.InvariantCulture);
        Assert.InRange(total, 120.5m, 123.5m); // 2 kWh a day, one day after 120
        var at = DateTimeOffset.Parse("2026-11-11T12:00:00+08:00", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal("estimate", await s.ScalarAsync<string>("SELECT source FROM readings WHERE meter_id = @meter AND at_ms = @at", new { meter, at }));
        Assert.True(await s.SumAsync(a, "consumption") < 0);
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R27 + R30: the new meter's estimate counts only its own readings, never the old meter's series before the swap
    public async Task Estimate_NeverSpansAMeterSwap_R27_R30()
    {
        using var s = await TenancySite.CreateAsync();
        var old = await s.Site.MeterAsync("E-OLD");
        var a = await s.AccountAsync(old, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "100.00", "a-1");
        await s.AtAsync("2026-11-14T12:00:00+08:00");
        await DailyReadingsAsync(s, old, 10);
        var swapped = await s.OkAsync(HttpMethod.Post, $"/api/meters/{old}/replace", new
        {
            at = "2026-11-11T12:00:00+08:00", finalReading = new { registers = new { total = "122.00" } }, newMeter = new { serial = "E-NEW" },
            initialReading = new { registers = new { total = "0.00" } },
        }, expected: HttpStatusCode.Created);
        var fresh = swapped.GetProperty("newMeterId").GetInt64();
        await s.ReadingAsync(fresh, "2026-11-12T12:00:00+08:00", "2.00");

        // Ten days of the old meter's readings would make an estimate; the new meter has two days of its own: none.
        var problem = await s.OkAsync(HttpMethod.Post, $"/api/meters/{fresh}/estimates", new { day = "2026-11-13" }, expected: HttpStatusCode.UnprocessableEntity);
        Assert.Contains("R30", problem.ToString());
        var closed = await s.CloseAsync(a, new { at = "2026-11-13T12:00:00+08:00", settle = "cash" }, HttpStatusCode.BadRequest);
        Assert.Contains("finalReadings", closed.ErrorFields());
        await s.AssertLedgerHoldsAsync();
    }
}
