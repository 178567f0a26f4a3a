using System.Net;
using System.Text;
using MiniExcelLibs;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>GET /api/meters/{id}/readings?from=&amp;to=&amp;format=csv|xlsx: a meter's raw readings of a period, as stored.</summary>
public class MeterReadingsExportTests
{
    static async Task<(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Meter)> MeterAsync()
    {
        var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-04T12:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meter = await site.MeterAsync("E-EXP");
        await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "100")], "2026-11-02T08:00:00+08:00");
        await site.ReadingsAsync(
            new { meterId = meter, at = "2026-11-02T23:30:00+08:00", registers = new { total = "104.25" } },
            new { meterId = meter, at = "2026-11-03T00:30:00+08:00", registers = new { total = "105" } },
            new { meterId = meter, at = "2026-11-03T10:00:00+08:00", registers = new { total = "101" } }, // a fall: rejected (R7), still listed
            new { meterId = meter, at = "2026-11-04T00:30:00+08:00", registers = new { total = "106" } });
        return (app, admin, site, meter);
    }

    [Fact] // Dates are the site's days: 3 Nov is [3 Nov 00:00, 4 Nov 00:00) in Shanghai; every stored reading is there, the rejected one too
    public async Task Csv_OneSiteDay_AllStoredReadingsOldestFirst()
    {
        var (app, admin, _, meter) = await MeterAsync();
        using var _ = app;
        var response = await admin.GetAsync($"/api/meters/{meter}/readings?from=2026-11-03&to=2026-11-04&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("readings-E-EXP-20261103-20261103.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at,total,sharp,peak,flat,valley,status,reason,quantity,amount,source,estimated,enteredBy,enteredAt,power", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("2026-11-03T00:30:00.000+08:00,105,,,,,billed,,0.75,0.75", lines[1]);
        Assert.StartsWith("2026-11-03T10:00:00.000+08:00,101,,,,,rejected,", lines[2]);
    }

    [Fact]
    public async Task Xlsx_WholeHistory_NumbersAsNumbers()
    {
        var (app, admin, _, meter) = await MeterAsync();
        using var _ = app;
        var response = await admin.GetAsync($"/api/meters/{meter}/readings?format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["baseline", "billed", "billed", "rejected", "billed"], rows.Select(r => (string)r["status"]).ToArray());
        Assert.Equal(104.25m, Convert.ToDecimal(rows[1]["total"]));
        Assert.Equal(4.25m, Convert.ToDecimal(rows[1]["amount"]));
    }

    [Theory]
    [InlineData("format=pdf", "format")]
    [InlineData("from=yesterday&format=csv", "from")]
    [InlineData("from=2026-11-04&to=2026-11-03&format=csv", "to")]
    public async Task BadQuery_400NamingTheField(string query, string field)
    {
        var (app, admin, _, meter) = await MeterAsync();
        using var _ = app;
        var response = await admin.GetAsync($"/api/meters/{meter}/readings?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ReadJsonAsync()).ErrorFields());
    }

    [Fact] // The JSON pages keep their shape and also filter by period
    public async Task Json_Period_NewestFirst()
    {
        var (app, admin, _, meter) = await MeterAsync();
        using var _ = app;
        var rows = (await admin.GetOkAsync($"/api/meters/{meter}/readings?from=2026-11-03&to=2026-11-04")).EnumerateArray().ToList();
        Assert.Equal(["rejected", "billed"], rows.Select(r => r.Str("status")).ToArray());
        Assert.Equal("0.75", rows[1].Str("amount"));
    }
}
