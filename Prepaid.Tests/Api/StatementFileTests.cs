using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MiniExcelLibs;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// R36 as files: the PDF (drawn with PDFsharp, a CJK font embedded) and the workbook (MiniExcel) say the same figures as
/// the JSON statement; a named period (year, quarter, month) stands for from/to; a site's year comes as one zip.
/// </summary>
public class StatementFileTests
{
    sealed record Shop(PrepaidApp App, HttpClient Admin, HttpClient Tenant, SiteBuilder Site, long Account, long Meter, long Other) : IDisposable
    {
        public void Dispose()
        {
            Tenant.Dispose();
            Admin.Dispose();
            App.Dispose();
        }
    }

    /// <summary>Two shops on a flat tariff; the first tops up, then uses power over two months of the fourth quarter.</summary>
    static async Task<Shop> ShopAsync()
    {
        var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T20:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(name: "北区商场 North");
        var tariff = await site.FlatTariffAsync("0.8500");
        var meter = await site.MeterAsync("E-1");
        var otherMeter = await site.MeterAsync("E-2");
        var tenant = await site.TenantAsync("面馆 Noodles", "tenant-pass-9", "13800000099");
        var otherTenant = await site.TenantAsync("茶铺 Tea", "tenant-pass-8", "13800000088");
        var account = (await site.AccountAsync(tenant, [(meter, tariff, "100")], "2026-11-02T08:00:00+08:00", serviceFeeRate: "0.05")).Id();
        var other = (await site.AccountAsync(otherTenant, [(otherMeter, tariff, "0")], "2026-11-02T08:00:00+08:00")).Id();
        await site.TopUpAsync(account, "200.00", "sf-1");
        await site.TopUpAsync(other, "50.00", "sf-2");
        await site.ReadingsAsync(new { meterId = meter, at = "2026-11-02T12:00:00+08:00", registers = new { total = "112.37" } });
        await site.ReadingsAsync(new { meterId = otherMeter, at = "2026-11-02T12:00:00+08:00", registers = new { total = "3" } });
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-03T20:00:00+08:00"));
        // A month on, the first session has expired.
        admin.Dispose();
        admin = await app.AdminAsync();
        site = new SiteBuilder(admin) { SiteId = site.SiteId };
        await site.ReadingsAsync(new { meterId = meter, at = "2026-12-01T09:00:00+08:00", registers = new { total = "130.01" } });
        await site.ReadingsAsync(new { meterId = meter, at = "2026-12-03T09:00:00+08:00", registers = new { total = "141.5" } });
        return new Shop(app, admin, await app.SignInAsync("13800000099", "tenant-pass-9"), site, account, meter, other);
    }

    static async Task<byte[]> FileAsync(HttpClient client, string url, string contentType, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (language is not null) request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        return bytes;
    }

    static long Fen(string amount) => (long)(decimal.Parse(amount, CultureInfo.InvariantCulture) * 100m);

    /// <summary>Each of <paramref name="expected"/> is found in the PDF's text, in this order.</summary>
    static void AssertInOrder(List<string> texts, IEnumerable<string> expected)
    {
        var at = 0;
        foreach (var e in expected)
        {
            var found = texts.FindIndex(at, t => t.Contains(e, StringComparison.Ordinal));
            Assert.True(found >= 0, $"'{e}' is not in the PDF after position {at}: {string.Join(" | ", texts.Skip(at).Take(20))}");
            at = found + 1;
        }
    }

    [Fact]
    public async Task Pdf_QuarterByMonth_SaysTheJsonsFigures_InChinese_R36()
    {
        using var s = await ShopAsync();
        var url = $"/api/accounts/{s.Account}/statements?period=2026-Q4&group=month";
        var json = await s.Tenant.GetOkAsync(url);
        Assert.Equal("2026-10-01T00:00:00.000+08:00", json.Str("from"));
        Assert.Equal("2027-01-01T00:00:00.000+08:00", json.Str("to"));
        Assert.Equal(["2026-11", "2026-12"], json.GetProperty("groups").EnumerateArray().Select(g => g.Str("period")).ToArray());

        var pdf = await FileAsync(s.Tenant, url + "&format=pdf", "application/pdf", "zh-CN");
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
        var text = PdfText.Read(pdf);
        // Chinese came back through the embedded font's map: the glyphs are there, not boxes.
        AssertInOrder(text, ["对账单", "站点: 北区商场 North    租户: 面馆 Noodles", $"期初余额: {json.Str("openingBalance")}"]);
        AssertInOrder(text, json.GetProperty("groups").EnumerateArray().SelectMany(g => new[] { g.Str("period"), g.Str("openingBalance"), g.Str("amount"), g.Str("closingBalance") }));
        var lines = json.GetProperty("lines").EnumerateArray().ToList();
        Assert.True(lines.Count >= 3);
        AssertInOrder(text, lines.SelectMany(l => new[] { l.Str("period"), l.Str("amount") }));
        Assert.Contains(text, t => t.Contains($"期末余额: {json.Str("closingBalance")}", StringComparison.Ordinal));
        Assert.Contains(text, t => t.Contains("用电用水", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pdf_EveryPostingOfAMonth_InEnglish_AddsUp_R36()
    {
        using var s = await ShopAsync();
        var url = $"/api/accounts/{s.Account}/statements?period=2026-11";
        var json = await s.Tenant.GetOkAsync(url);
        var lines = json.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["consumption", "topup"], lines.Select(l => l.Str("kind")).ToArray());
        Assert.Equal(Fen(json.Str("closingBalance")), Fen(json.Str("openingBalance")) + lines.Sum(l => Fen(l.Str("amount"))));

        var text = PdfText.Read(await FileAsync(s.Tenant, url + "&format=pdf", "application/pdf", "en"));
        AssertInOrder(text, ["Statement", $"Opening balance: {json.Str("openingBalance")}"]);
        AssertInOrder(text, lines.SelectMany(l => new[] { l.Str("at")[..10], l.Str("amount") }));
        Assert.Contains(text, t => t.Contains($"Closing balance: {json.Str("closingBalance")}", StringComparison.Ordinal));
        // The explanation is printed (wrapped over several drawn lines): its meter and the reading's register.
        Assert.Contains(text, t => t.Contains("E-1", StringComparison.Ordinal));
        Assert.Contains(text, t => t.Contains("112.37", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PdfAndXlsx_ExplainEachLineInTheReadersLanguage_R36()
    {
        using var s = await ShopAsync();
        var url = $"/api/accounts/{s.Account}/statements?period=2026-11";
        var json = await s.Tenant.GetOkAsync(url);
        // The JSON keeps its one English sentence for machines.
        Assert.Contains(json.GetProperty("lines").EnumerateArray(), l => l.Str("explanation").StartsWith("Top-up by cash", StringComparison.Ordinal));

        var zh = string.Join(" ", PdfText.Read(await FileAsync(s.Tenant, url + "&format=pdf", "application/pdf", "zh-CN")));
        Assert.Contains("现金充值", zh, StringComparison.Ordinal);
        Assert.Contains("次读数共", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("Top-up by", zh, StringComparison.Ordinal);
        Assert.DoesNotContain(" reading", zh, StringComparison.Ordinal);
        var en = string.Join(" ", PdfText.Read(await FileAsync(s.Tenant, url + "&format=pdf", "application/pdf", "en")));
        Assert.Contains("Top-up by cash", en, StringComparison.Ordinal);
        Assert.DoesNotContain("现金", en, StringComparison.Ordinal);

        var xlsx = await FileAsync(s.Tenant, url + "&format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zh-CN");
        using var stream = new MemoryStream(xlsx);
        var rows = stream.Query(useHeaderRow: true, sheetName: "明细").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["用电用水", "充值"], rows.Select(r => (string)r["类型"]).ToArray());
        Assert.StartsWith("E-1：", (string)rows[0]["说明"], StringComparison.Ordinal);
        Assert.Contains("扣费", (string)rows[0]["说明"], StringComparison.Ordinal);
        Assert.StartsWith("现金充值", (string)rows[1]["说明"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xlsx_Year_LinesAndPeriodsAreTheJsonsNumbers_R36()
    {
        using var s = await ShopAsync();
        var url = $"/api/accounts/{s.Account}/statements?period=2026&group=month";
        var json = await s.Tenant.GetOkAsync(url);
        var xlsx = await FileAsync(s.Tenant, url + "&format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "en");
        using var stream = new MemoryStream(xlsx);
        Assert.Equal(["Summary", "By period", "Lines"], stream.GetSheetNames().ToArray());

        var summary = stream.Query(useHeaderRow: true, sheetName: "Summary").Cast<IDictionary<string, object>>()
            .ToDictionary(r => (string)r["item"], r => r["value"]);
        Assert.Equal("面馆 Noodles", summary["Tenant"]);
        Assert.Equal(Fen(json.Str("openingBalance")), Fen(Convert.ToDecimal(summary["Opening balance"], CultureInfo.InvariantCulture)));
        Assert.Equal(Fen(json.Str("closingBalance")), Fen(Convert.ToDecimal(summary["Closing balance"], CultureInfo.InvariantCulture)));

        var periods = stream.Query(useHeaderRow: true, sheetName: "By period").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(json.GetProperty("groups").EnumerateArray().Select(g => (g.Str("period"), Fen(g.Str("amount")), Fen(g.Str("closingBalance")))).ToArray(),
            periods.Select(p => ((string)p["Period"], Fen(p["Amount"]), Fen(p["Closing balance"]))).ToArray());

        var rows = stream.Query(useHeaderRow: true, sheetName: "Lines").Cast<IDictionary<string, object>>().ToList();
        var lines = json.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(lines.Select(l => (l.Str("period"), Fen(l.Str("amount")), l.GetProperty("count").GetInt32())).ToArray(),
            rows.Select(r => ((string)r["Period"], Fen(r["Amount"]), Convert.ToInt32(r["Count"], CultureInfo.InvariantCulture))).ToArray());
        // The sheet's own sum closes the statement, to the fen.
        Assert.Equal(Fen(json.Str("closingBalance")) - Fen(json.Str("openingBalance")), rows.Sum(r => Fen(r["Amount"])));
    }

    static long Fen(object cell) => (long)(Convert.ToDecimal(cell, CultureInfo.InvariantCulture) * 100m);

    [Theory]
    [InlineData("period=2026-Q5", "period")]
    [InlineData("period=2026-13", "period")]
    [InlineData("period=1999", "period")]
    [InlineData("period=2026-11&from=2026-11-01", "period")]
    [InlineData("format=docx", "format")]
    [InlineData("group=week", "group")]
    public async Task BadPeriodFormatOrGroup_Answers400NamingTheField(string query, string field)
    {
        using var s = await ShopAsync();
        var response = await s.Tenant.GetAsync($"/api/accounts/{s.Account}/statements?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.ErrorFields());
    }

    [Fact]
    public async Task SiteRun_AYearOfEveryAccount_OneZip_EachPdfClosesAsItsJson_R36()
    {
        using var s = await ShopAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/statements/runs")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { siteId = s.Site.SiteId, year = 2026 }),
        };
        using var response = await s.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal([$"statement-{s.Account}-2026.pdf", $"statement-{s.Other}-2026.pdf"], zip.Entries.Select(e => e.Name).Order().ToArray());
        foreach (var account in new[] { s.Account, s.Other })
        {
            var json = await s.Admin.GetOkAsync($"/api/accounts/{account}/statements?period=2026&group=month");
            using var entry = zip.GetEntry($"statement-{account}-2026.pdf")!.Open();
            using var copy = new MemoryStream();
            await entry.CopyToAsync(copy);
            var text = PdfText.Read(copy.ToArray());
            Assert.Contains(text, t => t.Contains($"期末余额: {json.Str("closingBalance")}", StringComparison.Ordinal));
            AssertInOrder(text, json.GetProperty("groups").EnumerateArray().Select(g => g.Str("closingBalance")));
        }
    }

    [Fact]
    public async Task SiteRun_Xlsx_AndRefusals()
    {
        using var s = await ShopAsync();
        var zipped = await s.Admin.PostAsync("/api/statements/runs", System.Net.Http.Json.JsonContent.Create(new { siteId = s.Site.SiteId, year = 2026, format = "xlsx" }));
        using (var zip = new ZipArchive(await zipped.Content.ReadAsStreamAsync()))
            Assert.All(zip.Entries, e => Assert.EndsWith(".xlsx", e.Name));

        var tenant = await s.Tenant.PostAsync("/api/statements/runs", System.Net.Http.Json.JsonContent.Create(new { siteId = s.Site.SiteId, year = 2026 }));
        Assert.Equal(HttpStatusCode.Forbidden, tenant.StatusCode);
        var unknown = await s.Admin.PostAsync("/api/statements/runs", System.Net.Http.Json.JsonContent.Create(new { siteId = 999, year = 2026 }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var badYear = await s.Admin.PostAsync("/api/statements/runs", System.Net.Http.Json.JsonContent.Create(new { siteId = s.Site.SiteId, year = 1900 }));
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Contains("year", JsonDocument.Parse(await badYear.Content.ReadAsStringAsync()).RootElement.ErrorFields());
    }
}
