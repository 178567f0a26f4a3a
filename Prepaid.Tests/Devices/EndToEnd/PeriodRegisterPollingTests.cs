using System.Globalization;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>
/// R11 through the poller: the period registers a meter reports reach the engine as they are, priced by period, and
/// only a disagreement with the total of more than one resolution step holds the reading as suspect.
/// </summary>
public class PeriodRegisterPollingTests
{
    [Fact]
    public async Task Poller_PeriodRegistersOffByOneStep_AreBilledByPeriod_OffByMore_AreSuspect_R11()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        // 1 kW, every hour booked to the flat period; the registers step by 0.01 kWh, the meter's resolution.
        var meter = new SimulatedElectricMeter(1, "000000000001", app.Time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 };
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([meter])).Start();
        var site = await new SiteBuilder(client).SiteAsync();
        // By time, the morning hours polled here are peak (0.80); by the meter's period registers they are flat (0.60).
        var tariff = (await client.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "TOU", utility = "electricity",
            versions = new[]
            {
                new
                {
                    effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tou",
                    prices = new { sharp = "1.0000", peak = "0.8000", flat = "0.6000", valley = "0.4000" },
                    segments = new object[]
                    {
                        new { from = "00:00", to = "08:00", period = "valley" }, new { from = "08:00", to = "18:00", period = "peak" },
                        new { from = "18:00", to = "00:00", period = "flat" },
                    },
                },
            },
        })).Id();
        var meterId = await site.MeterAsync("E-1");
        await DeviceApp.ConnectAsync(client, meterId, await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", gateway.Port), "1", "generic-modbus");
        await site.AccountAsync(await site.TenantAsync(), [(meterId, tariff, "0")], "2026-11-02T08:00:00+08:00");

        app.Time.Advance(TimeSpan.FromHours(1));
        await app.Poller.SweepAllAsync(ct);                       // 1.00 kWh against an opening reading without periods: by time
        meter.TotalSkewWh = 10;
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.Poller.SweepAllAsync(ct);                       // total moved 1.01, periods 1.00: within one step
        meter.TotalSkewWh = 40;
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.Poller.SweepAllAsync(ct);                       // total moved 1.03, periods 1.00: three steps apart

        var readings = (await client.GetOkAsync($"/api/meters/{meterId}/readings")).EnumerateArray().Reverse().ToArray();
        Assert.Equal(["baseline", "billed", "billed", "suspect"], readings.Select(r => r.Str("status")).ToArray());
        Assert.Equal("0.80", readings[1].Str("amount"));
        Assert.Equal(2m, decimal.Parse(readings[2].GetProperty("registers").Str("flat"), CultureInfo.InvariantCulture));
        Assert.Equal("0.60", readings[2].Str("amount"));           // 1.00 kWh flat at 0.60, priced by the period registers
        Assert.Contains("period registers", readings[3].Str("reason"));
    }
}
