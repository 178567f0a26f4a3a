using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// R31 through the API: readings a person enters (the meter page's form) or imports from a file follow R5–R9 like any
/// other and record who entered them and when. A shop E-1 on a flat 1.0000/kWh tariff, opened at 100.00 kWh on
/// 1 November and topped up with 100.00; an operator of its site; a second site with meter X-1.
/// </summary>
public class ManualReadingTests
{
    const string OperatorPassword = "operator-pass-1";

    sealed record Fixture(PrepaidApp App, HttpClient Admin, HttpClient Operator, SiteBuilder Site, long Account, long Meter, long OperatorId) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    static async Task<Fixture> OpenAsync()
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meter = await site.MeterAsync("E-1");
        var tenant = await site.TenantAsync();
        var account = (await site.AccountAsync(tenant, [(meter, tariff, "100.00")], "2026-11-01T00:00:00+08:00")).Id();
        await site.TopUpAsync(account, "100.00", "opening");
        var other = await new SiteBuilder(admin).SiteAsync(name: "Other mall");
        await other.MeterAsync("X-1");
        var op = await admin.PostOkAsync("/api/users", new { username = "op1", password = OperatorPassword, role = "operator", siteIds = new[] { site.SiteId } });
        return new Fixture(app, admin, await app.SignInAsync("op1", OperatorPassword), site, account, meter, op.Id());
    }

    static async Task<JsonElement> ReadingAtAsync(Fixture f, string at) =>
        (await f.Admin.GetOkAsync($"/api/meters/{f.Meter}/readings")).EnumerateArray().Single(r => r.Str("at").StartsWith(at, StringComparison.Ordinal));

    [Fact]
    public async Task ManualReading_RecordsWhoEnteredItAndWhen_AndFollowsR5ToR9_R31()
    {
        using var f = await OpenAsync();
        f.App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 12, 30, 0, TimeSpan.FromHours(8)));
        object Manual(string at, string total) => new { serial = "E-1", at, registers = new { total }, source = "manual" };
        var first = (await f.Operator.PostOkAsync("/api/readings", new[] { Manual("2026-11-02T12:00:00+08:00", "112.50") }, HttpStatusCode.OK))[0];
        Assert.Equal(("billed", "12.50", "manual"), (first.Str("status"), first.Str("amount"), first.Str("source")));
        var stored = await ReadingAtAsync(f, "2026-11-02T12:00");
        Assert.Equal("manual", stored.Str("source"));
        Assert.False(stored.GetProperty("estimated").GetBoolean());
        Assert.Equal((f.OperatorId, "op1"), (stored.GetProperty("enteredBy").GetProperty("id").GetInt64(), stored.GetProperty("enteredBy").Str("username")));
        Assert.Equal("2026-11-02T12:30:00.000+08:00", stored.Str("enteredAt"));

        // R9 and R7 as for any reading: the same again is a duplicate, another value at that time a conflict, an older one late,
        // a decrease rejected.
        string Status(JsonElement r) => r[0].Str("status");
        Assert.Equal("duplicate", Status(await f.Operator.PostOkAsync("/api/readings", new[] { Manual("2026-11-02T12:00:00+08:00", "112.50") }, HttpStatusCode.OK)));
        Assert.Equal("rejected", Status(await f.Operator.PostOkAsync("/api/readings", new[] { Manual("2026-11-02T12:00:00+08:00", "113.00") }, HttpStatusCode.OK)));
        Assert.Equal("late", Status(await f.Operator.PostOkAsync("/api/readings", new[] { Manual("2026-11-02T06:00:00+08:00", "106.00") }, HttpStatusCode.OK)));
        Assert.Equal("rejected", Status(await f.Operator.PostOkAsync("/api/readings", new[] { Manual("2026-11-02T13:00:00+08:00", "105.00") }, HttpStatusCode.OK)));
        Assert.Equal("87.50", await f.Site.BalanceAsync(f.Account));

        // A gateway's reading is the meter's own: nobody entered it.
        await f.Site.ReadingsAsync(new { serial = "E-1", at = "2026-11-02T14:00:00+08:00", registers = new { total = "114.00" } });
        var fromMeter = await ReadingAtAsync(f, "2026-11-02T14:00");
        Assert.Equal(("meter", JsonValueKind.Null, JsonValueKind.Null),
            (fromMeter.Str("source"), fromMeter.GetProperty("enteredBy").ValueKind, fromMeter.GetProperty("enteredAt").ValueKind));
        // Estimates are R30's own: a client cannot claim one.
        var claimed = await f.Operator.PostAsJsonAsync("/api/readings", new[] { new { serial = "E-1", at = "2026-11-02T15:00:00+08:00", registers = new { total = "115" }, source = "estimate" } });
        Assert.Equal(HttpStatusCode.BadRequest, claimed.StatusCode);
        Assert.Equal(["[0].source"], (await claimed.ReadJsonAsync()).ErrorFields());
    }

    const string BadRowsCsv =
        "serial,at,total,sharp,peak,flat,valley\r\n" +
        "E-1,2026-11-02 12:00,112.50,,,,\r\n" +               // row 2: billed 2.50 (a local time of the site)
        "E-1,2026-11-02T13:00:00+08:00,\"113.00\",,,,\r\n" +   // row 3: billed 0.50 (quoted)
        "NOPE-9,2026-11-02 14:00,120,,,,\r\n" +                // row 4: no such meter
        "E-1,yesterday,120,,,,\r\n" +                          // row 5: no time
        "E-1,2026-11-02 15:00,-5,,,,\r\n" +                    // row 6: a negative register
        "E-1,2026-11-02 16:00,120,1,2,,\r\n" +                 // row 7: two period registers of four
        "E-1,2026-11-02 12:00,112.50,,,,\r\n" +                // row 8: the same as row 2
        "\r\n" +                                               // row 9: blank, skipped
        "E-1,2026-11-02 09:00,109,,,,\r\n" +                   // row 10: older than the billed 10:00
        "E-1,2026-11-02 17:00,100,,,,\r\n" +                   // row 11: the register went back (R7)
        "X-1,2026-11-02 17:00,100,,,,\r\n";                    // row 12: another site's meter

    static MultipartFormDataContent File(string name, byte[] bytes)
    {
        var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(bytes), "file", name);
        return content;
    }

    [Fact]
    public async Task ImportWithBadRows_GivesEachRowItsOutcome_BillsTheGoodOnes_AndKeepsADownloadableReport_R31()
    {
        using var f = await OpenAsync();
        await f.Operator.PostOkAsync("/api/readings", new[] { new { serial = "E-1", at = "2026-11-02T10:00:00+08:00", registers = new { total = "110" }, source = "manual" } }, HttpStatusCode.OK);
        var response = await f.Operator.PostAsync("/api/readings/import", File("november.csv", Encoding.UTF8.GetBytes(BadRowsCsv)));
        var answer = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, answer.ToString());
        var outcomes = answer.GetProperty("outcomes").EnumerateArray().ToArray();
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 10, 11, 12], outcomes.Select(o => o.GetProperty("row").GetInt32()).ToArray());
        Assert.Equal(["billed", "billed", "rejected", "rejected", "rejected", "rejected", "duplicate", "late", "rejected", "rejected"],
            outcomes.Select(o => o.Str("status")).ToArray());
        Assert.Equal(["2.50", "0.50"], outcomes.Take(2).Select(o => o.Str("amount")).ToArray());
        // Each refusal names the column at fault.
        string Reason(int row) => outcomes.Single(o => o.GetProperty("row").GetInt32() == row).Str("reason");
        Assert.StartsWith("serial:", Reason(4));
        Assert.StartsWith("at:", Reason(5));
        Assert.StartsWith("total:", Reason(6));
        Assert.Contains("flat:", Reason(7));
        Assert.Contains("went back", Reason(11));
        Assert.Equal("serial: No meter has serial X-1.", Reason(12)); // another site's meter is unknown to this operator
        Assert.Equal(2, answer.GetProperty("counts").GetProperty("billed").GetInt32());
        Assert.Equal("87.00", await f.Site.BalanceAsync(f.Account));

        // Who imported it, and when.
        var imported = await ReadingAtAsync(f, "2026-11-02T12:00");
        Assert.Equal(("import", "op1"), (imported.Str("source"), imported.GetProperty("enteredBy").Str("username")));

        // The report, as JSON and as the .xlsx the operator downloads, row for row.
        var importId = answer.GetProperty("importId").GetInt64();
        var again = await f.Operator.GetOkAsync($"/api/readings/imports/{importId}");
        Assert.Equal(outcomes.Select(o => o.Str("status")), again.GetProperty("outcomes").EnumerateArray().Select(o => o.Str("status")));
        var xlsx = await f.Operator.GetAsync($"/api/readings/imports/{importId}?format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var sheet = MiniExcel.Query(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(outcomes.Select(o => o.Str("status")), sheet.Select(r => (string)r["status"]!));
        Assert.Equal(outcomes.Select(o => o.GetProperty("row").GetInt32()), sheet.Select(r => Convert.ToInt32(r["row"])));
        Assert.Equal("serial: No meter has serial NOPE-9.", sheet[2]["reason"]);
        // Refused rows are kept with the rejects; another operator cannot read this report.
        var rejects = (await f.Admin.GetOkAsync("/api/readings/rejects")).EnumerateArray().Select(r => r.GetProperty("payload").ToString()).ToList();
        Assert.Contains(rejects, p => p.Contains("NOPE-9") && p.Contains("november.csv"));
        await f.Admin.PostOkAsync("/api/users", new { username = "op2", password = OperatorPassword, role = "operator", siteIds = new[] { f.Site.SiteId } });
        var other = await f.App.SignInAsync("op2", OperatorPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/readings/imports/{importId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Admin.GetAsync($"/api/readings/imports/{importId}")).StatusCode);
    }

    [Fact]
    public async Task ImportOfAnXlsx_ReadsDateCellsAsSiteTime_AndNumberCells_R31()
    {
        using var f = await OpenAsync();
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["serial"] = "E-1", ["at"] = new DateTime(2026, 11, 2, 12, 0, 0), ["total"] = 112.5m },
            new() { ["serial"] = "E-1", ["at"] = "2026-11-02T18:00:00+08:00", ["total"] = "120" },
        };
        var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, cancellationToken: TestContext.Current.CancellationToken);
        var answer = await (await f.Operator.PostAsync("/api/readings/import", File("readings.xlsx", stream.ToArray()))).ReadJsonAsync();
        Assert.Equal(["billed", "billed"], answer.GetProperty("outcomes").EnumerateArray().Select(o => o.Str("status")).ToArray());
        Assert.Equal(["12.50", "7.50"], answer.GetProperty("outcomes").EnumerateArray().Select(o => o.Str("amount")).ToArray());
        Assert.Equal("112.5", (await ReadingAtAsync(f, "2026-11-02T12:00:00.000+08:00")).GetProperty("registers").Str("total"));
        Assert.Equal("80.00", await f.Site.BalanceAsync(f.Account));
    }

    [Fact]
    public async Task ImportThatIsNoImport_Answers400NamingTheFile_AndStoresNothing_R31()
    {
        using var f = await OpenAsync();
        var tooMany = new StringBuilder("serial,at,total\n");
        for (var i = 0; i < 10_001; i++) tooMany.Append("E-1,2026-11-02T12:00:00+08:00,120\n");
        var cases = new (string What, HttpContent Content)[]
        {
            ("JSON instead of a file", JsonContent.Create(new { serial = "E-1" })),
            ("a text file", File("readings.txt", "serial,at,total\nE-1,2026-11-02 12:00,120\n"u8.ToArray())),
            ("no total column", File("readings.csv", "serial,at,reading\nE-1,2026-11-02 12:00,120\n"u8.ToArray())),
            ("an unclosed quote", File("readings.csv", "serial,at,total\nE-1,\"2026-11-02 12:00,120\n"u8.ToArray())),
            ("more than 10,000 rows", File("readings.csv", Encoding.UTF8.GetBytes(tooMany.ToString()))),
            ("no rows", File("readings.csv", "serial,at,total\n"u8.ToArray())),
            ("not an xlsx", File("readings.xlsx", "serial,at,total\n"u8.ToArray())),
        };
        foreach (var (what, content) in cases)
        {
            var response = await f.Operator.PostAsync("/api/readings/import", content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(["file"], (await response.ReadJsonAsync()).ErrorFields());
        }
        Assert.Equal("100.00", await f.Site.BalanceAsync(f.Account));
        Assert.Single((await f.Admin.GetOkAsync($"/api/meters/{f.Meter}/readings")).EnumerateArray()); // the opening reading alone
        Assert.Empty((await f.Admin.GetOkAsync("/api/readings/rejects")).EnumerateArray());
    }
}
