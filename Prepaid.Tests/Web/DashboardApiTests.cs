using System.Net;
using System.Text.Json;
using MiniExcelLibs;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

public class DashboardApiTests
{
    static async Task<(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Opened, long Free, long Account)> SiteAsync()
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var opened = await site.MeterAsync("E-1");
        var free = await site.MeterAsync("E-2");
        var tenant = await site.TenantAsync("Noodle shop");
        var account = (await site.AccountAsync(tenant, [(opened, tariff, "100")], "2026-11-02T08:00:00+08:00")).Id();
        await site.TopUpAsync(account, "30.00", "dash-1");
        return (app, admin, site, opened, free, account);
    }

    [Fact]
    public async Task Grid_OneRowPerMeter_WithAccountBalanceAndState()
    {
        var (app, admin, site, opened, free, account) = await SiteAsync();
        using var _ = app;
        await site.ReadingsAsync(new { meterId = opened, at = "2026-11-02T08:30:00+08:00", registers = new { total = "105" } });
        var rows = (await admin.GetOkAsync($"/api/dashboard/meters?siteId={site.SiteId}")).EnumerateArray().ToDictionary(r => r.GetProperty("meterId").GetInt64());
        Assert.Equal(2, rows.Count);
        var row = rows[opened];
        Assert.Equal(account, row.GetProperty("accountId").GetInt64());
        Assert.Equal("25.00", row.Str("balance"));
        Assert.Equal("normal", row.Str("state"));
        Assert.True(row.GetProperty("online").GetBoolean());
        Assert.Equal("Noodle shop", row.Str("tenant"));
        Assert.Equal("105", row.Str("lastTotal"));
        Assert.Equal("notOpened", rows[free].Str("state"));

        app.Time.Advance(TimeSpan.FromHours(2)); // no reading for longer than the offline limit
        var overview = await admin.GetOkAsync($"/api/dashboard/overview?siteId={site.SiteId}");
        Assert.Equal(1, overview.GetProperty("counts").GetProperty("offline").GetInt32());
        Assert.Equal(1, overview.GetProperty("counts").GetProperty("notOpened").GetInt32());
        Assert.Equal(2, overview.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task SalesReport_JsonAndExcel_HaveTheSameRows()
    {
        var (app, admin, site, _, _, account) = await SiteAsync();
        using var _ = app;
        await site.TopUpAsync(account, "20.00", "dash-2", channel: "bank");
        var url = $"/api/reports/sales?siteId={site.SiteId}&from=2026-11-01&to=2026-11-03";
        var json = (await admin.GetOkAsync(url)).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["bank", "cash"], json.Select(r => r.Str("channel")).ToArray());
        Assert.Equal("30.00", json[1].Str("amount"));

        var response = await admin.GetAsync(url + "&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(2, rows.Count);
        // A spreadsheet is for people: headers and channels in words, English for a caller that names no language.
        Assert.Equal("Cash", rows[1]["Channel"]);
        Assert.Equal(30m, Convert.ToDecimal(rows[1]["Amount"]));

        using var chinese = new HttpRequestMessage(HttpMethod.Get, url + "&format=xlsx");
        chinese.Headers.Add("Accept-Language", "zh-CN");
        var zh = await admin.SendAsync(chinese);
        await using var zhStream = new MemoryStream(await zh.Content.ReadAsByteArrayAsync());
        var zhRows = zhStream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal("现金", zhRows[1]["渠道"]);
        Assert.Equal("银行转账", zhRows[0]["渠道"]);
        Assert.Equal(30m, Convert.ToDecimal(zhRows[1]["金额"]));
        Assert.Equal(["日期", "站点", "渠道", "操作员", "笔数", "金额", "服务费", "到账"], zhRows[0].Keys.ToArray());
    }

    [Fact]
    public async Task Reports_RefuseBadInput_AndSayWhenDataIsNotThereYet()
    {
        var (app, admin, site, opened, _, account) = await SiteAsync();
        using var _ = app;
        var bad = await admin.GetAsync($"/api/reports/sales?from=yesterday&to=2026-11-03");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("from", (await bad.ReadJsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/reports/nonsense?from=2026-11-01&to=2026-11-03")).StatusCode);
        // An operator's command is in the command log at once, as requested (no gateway answers it in this test).
        await admin.PostOkAsync($"/api/meters/{opened}/commands", new { kind = "trip" }, HttpStatusCode.Created);
        var commands = (await admin.GetOkAsync("/api/reports/commands?from=2026-11-01&to=2026-11-03")).GetProperty("rows");
        Assert.Equal("trip", commands[0].Str("kind"));

        // Drain the account into alarm 2: the alarm history shows it, and consumption shows what was billed.
        app.Time.Advance(TimeSpan.FromHours(7)); // 25 kWh over 6 hours: plausible for the meter's rating (R8)
        await site.ReadingsAsync(new { meterId = opened, at = "2026-11-02T14:00:00+08:00", registers = new { total = "125" } });
        var alarms = (await admin.GetOkAsync($"/api/reports/alarms?siteId={site.SiteId}&from=2026-11-01&to=2026-11-03")).GetProperty("rows");
        Assert.Equal("alarm2", alarms.EnumerateArray().Last().Str("kind"));
        var consumption = (await admin.GetOkAsync($"/api/reports/consumption?siteId={site.SiteId}&from=2026-11-01&to=2026-11-03")).GetProperty("rows")[0];
        Assert.Equal("25", consumption.Str("quantity"));
        Assert.Equal("25.00", consumption.Str("amount"));
        var chart = (await admin.GetOkAsync($"/api/accounts/{account}/consumption?bucket=hour")).EnumerateArray().ToList();
        Assert.Equal("25", chart.Single(b => b.Str("bucket") == "2026-11-02 14:00").Str("quantity"));
        // An hour without any reading is no data, never a zero (R30): the chart draws a gap there.
        Assert.Contains(chart, b => b.Str("bucket") == "2026-11-02 13:00" && b.GetProperty("quantity").ValueKind == System.Text.Json.JsonValueKind.Null);
        var offline = (await admin.GetOkAsync($"/api/reports/offline?siteId={site.SiteId}&from=2026-11-01&to=2026-11-03")).GetProperty("rows");
        Assert.Equal(["E-2"], offline.EnumerateArray().Select(r => r.Str("serial")).ToArray());
    }
}
