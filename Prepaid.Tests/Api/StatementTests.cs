using System.Net;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// R36: GET /api/accounts/{id}/statements. Lines are the wallet's postings explained from stored data (readings and the
/// engine's pricing again, top-ups with their fee, apportionment shares); group=day|month makes one subtotal per period,
/// kind and meter, in the site's zone, so 5-second readings no longer give one "−0.01" line each.
/// </summary>
public class StatementTests
{
    const string Opened = "2026-11-02T08:00:00+08:00";

    sealed record Shop(PrepaidApp App, HttpClient Admin, HttpClient Tenant, SiteBuilder Site, long Account, long Meter, long OtherAccount) : IDisposable
    {
        public void Dispose()
        {
            Tenant.Dispose();
            Admin.Dispose();
            App.Dispose();
        }
    }

    /// <summary>A shop on a time-of-use tariff split by time (valley 00–08, peak 08–11 and 13–18, sharp 11–13, flat 18–24), 5 % fee.</summary>
    static async Task<Shop> ShopAsync(Func<SiteBuilder, HttpClient, Task<long>>? tariff = null)
    {
        var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T20:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariffId = tariff is null ? await TouAsync(site, admin) : await tariff(site, admin);
        var meter = await site.MeterAsync("E-1");
        var other = await site.MeterAsync("E-2");
        var tenant = await site.TenantAsync("面馆 Noodles", "tenant-pass-9", "13800000099");
        var otherTenant = await site.TenantAsync("Tea", "tenant-pass-8", "13800000088");
        var account = (await site.AccountAsync(tenant, [(meter, tariffId, "100")], Opened, serviceFeeRate: "0.05")).Id();
        var otherAccount = (await site.AccountAsync(otherTenant, [(other, tariffId, "0")], Opened)).Id();
        return new Shop(app, admin, await app.SignInAsync("13800000099", "tenant-pass-9"), site, account, meter, otherAccount);
    }

    static async Task<long> TouAsync(SiteBuilder site, HttpClient admin) =>
        (await admin.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "TOU", utility = "electricity",
            versions = new[]
            {
                new
                {
                    effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tou",
                    prices = new { sharp = "1.2000", peak = "1.0000", flat = "0.7000", valley = "0.3500" },
                    segments = new[]
                    {
                        new { from = "00:00", to = "08:00", period = "valley" }, new { from = "08:00", to = "11:00", period = "peak" },
                        new { from = "11:00", to = "13:00", period = "sharp" }, new { from = "13:00", to = "18:00", period = "peak" },
                        new { from = "18:00", to = "00:00", period = "flat" },
                    },
                },
            },
        })).Id();

    static async Task<JsonElement> StatementAsync(HttpClient client, long account, string query) =>
        await client.GetOkAsync($"/api/accounts/{account}/statements?{query}");

    static long Fen(string amount) => (long)(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) * 100m);

    static void AssertSumsToTheFen(JsonElement s) =>
        Assert.Equal(Fen(s.Str("closingBalance")), Fen(s.Str("openingBalance")) + s.GetProperty("lines").EnumerateArray().Sum(l => Fen(l.Str("amount"))));

    [Fact]
    public async Task FiveSecondReadings_GroupedByDay_OneExplainedLinePerMeterAndDay_InTheSiteZone_R36()
    {
        using var s = await ShopAsync();
        await s.Site.TopUpAsync(s.Account, "100.00", "st-1");
        // 120 readings 5 s apart, 0.01 kWh each at the peak price: 120 postings of −0.01.
        var start = DateTimeOffset.Parse("2026-11-02T09:00:00+08:00");
        await s.Site.ReadingsAsync(Enumerable.Range(1, 120)
            .Select(i => (object)new { meterId = s.Meter, at = start.AddSeconds(5 * i).ToString("O"), registers = new { total = (100m + i / 100m).ToString("0.00") } })
            .ToArray());
        // 09:10 → 23:30 crosses peak, sharp, peak and flat; 23:30 → 00:30 (16:30 UTC, still 2 November there) is half flat, half valley.
        await s.Site.ReadingsAsync(new { meterId = s.Meter, at = "2026-11-02T23:30:00+08:00", registers = new { total = "103.20" } });
        s.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-03T01:00:00+08:00"));
        await s.Site.ReadingsAsync(new { meterId = s.Meter, at = "2026-11-03T00:30:00+08:00", registers = new { total = "104.20" } });

        var st = await StatementAsync(s.Tenant, s.Account, "from=2026-11-02&to=2026-11-04&group=day");
        Assert.Equal("0.00", st.Str("openingBalance"));
        Assert.Equal(await s.Site.BalanceAsync(s.Account), st.Str("closingBalance"));
        AssertSumsToTheFen(st);
        Assert.Equal(["2026-11-02", "2026-11-03"], st.GetProperty("groups").EnumerateArray().Select(g => g.Str("period")).ToArray());
        Assert.Equal("2026-11-03T00:00:00.000+08:00", st.GetProperty("groups")[1].Str("from"));

        var lines = st.GetProperty("lines").EnumerateArray().ToList();
        var day1 = lines.Where(l => l.Str("period") == "2026-11-02").ToList();
        Assert.Equal(["consumption", "topup"], day1.Select(l => l.Str("kind")).ToArray());
        var used = day1[0].GetProperty("detail");
        Assert.Equal(121, used.GetProperty("readings").GetInt32());
        Assert.Equal(121, day1[0].GetProperty("count").GetInt32());
        Assert.Equal("100", used.GetProperty("from").GetProperty("registers").Str("total"));
        Assert.Equal("2026-11-02T08:00:00.000+08:00", used.GetProperty("from").Str("at"));
        Assert.Equal("103.2", used.GetProperty("to").GetProperty("registers").Str("total"));
        Assert.Equal("3.2", used.Str("quantity"));
        var pieces = used.GetProperty("pieces").EnumerateArray().ToDictionary(p => p.Str("period"), p => p);
        Assert.Equal(["peak", "sharp", "flat"], pieces.Keys.ToArray());
        Assert.Equal("1.0000", pieces["peak"].Str("price"));
        Assert.Equal(3.2m, pieces.Values.Sum(p => decimal.Parse(p.Str("quantity"), System.Globalization.CultureInfo.InvariantCulture)), 3);
        // The amount is what the ledger posted; the exact cost says why (R4 rounds once, cumulatively).
        Assert.Equal(-Fen(used.Str("posted")), Fen(day1[0].Str("amount")));
        Assert.Contains("E-1", day1[0].Str("explanation"));

        var topUp = day1[1];
        Assert.Equal("95.00", topUp.Str("amount"));
        Assert.Equal("100.00", topUp.GetProperty("detail").Str("paid"));
        Assert.Equal("5.00", topUp.GetProperty("detail").Str("fee"));

        var day2 = Assert.Single(lines, l => l.Str("period") == "2026-11-03");
        var night = day2.GetProperty("detail");
        Assert.Equal("1", night.Str("quantity"));
        Assert.Equal(["flat 0.5 × 0.7000", "valley 0.5 × 0.3500"],
            night.GetProperty("pieces").EnumerateArray().Select(p => $"{p.Str("period")} {p.Str("quantity")} × {p.Str("price")}").ToArray());
        Assert.Equal("0.525", night.Str("cost"));

        // Without a grouping every posting is a line, and they still add up.
        var flat = await StatementAsync(s.Tenant, s.Account, "from=2026-11-02&to=2026-11-04");
        AssertSumsToTheFen(flat);
        var ledger = (await s.Tenant.GetOkAsync($"/api/accounts/{s.Account}/ledger?limit=500")).EnumerateArray().ToList();
        Assert.Equal(ledger.Count, flat.GetProperty("lines").GetArrayLength());
        Assert.All(flat.GetProperty("lines").EnumerateArray().Where(l => l.Str("kind") == "consumption"),
            l => Assert.StartsWith($"reading:{s.Meter}:", l.Str("key")));

        // By month: one consumption line for the whole period.
        var month = await StatementAsync(s.Tenant, s.Account, "from=2026-11-01&to=2026-12-01&group=month");
        AssertSumsToTheFen(month);
        Assert.Equal("4.2", Assert.Single(month.GetProperty("lines").EnumerateArray(), l => l.Str("kind") == "consumption").GetProperty("detail").Str("quantity"));
    }

    [Fact]
    public async Task Tiered_PiecesNameTheTiersAndTheirPrices_R13_R36()
    {
        using var s = await ShopAsync((site, admin) => TieredAsync(site, admin));
        await s.Site.ReadingsAsync(new { meterId = s.Meter, at = "2026-11-02T12:00:00+08:00", registers = new { total = "115" } });
        var st = await StatementAsync(s.Tenant, s.Account, "from=2026-11-02&to=2026-11-03&group=day");
        var line = Assert.Single(st.GetProperty("lines").EnumerateArray());
        Assert.Equal("-9.00", line.Str("amount")); // 10 × 0.50 + 5 × 0.80
        Assert.Equal(["1 2026-11 10 × 0.5000", "2 2026-11 5 × 0.8000"], line.GetProperty("detail").GetProperty("pieces").EnumerateArray()
            .Select(p => $"{p.GetProperty("tier").GetInt32()} {p.Str("tierPeriod")} {p.Str("quantity")} × {p.Str("price")}").ToArray());
    }

    static async Task<long> TieredAsync(SiteBuilder site, HttpClient admin) =>
        (await admin.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "阶梯 Tiered", utility = "electricity",
            versions = new[]
            {
                new
                {
                    effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tiered", period = "month",
                    tiers = new object[] { new { upTo = "10", price = "0.5000" }, new { upTo = (string?)null, price = "0.8000" } },
                },
            },
        })).Id();

    [Fact]
    public async Task Apportionment_LineNamesTheRuleMethodAndTheAccountsShare_R18_R36()
    {
        using var s = await ShopAsync((site, _) => site.FlatTariffAsync("1.0000"));
        var tariff = await s.Site.FlatTariffAsync("1.0000");
        var master = (await s.Admin.PostOkAsync("/api/meters", new { siteId = s.Site.SiteId, serial = "MASTER", utility = "electricity", tariffId = tariff, ratedMaxPerHour = "1000" })).Id();
        await s.Site.ReadingsAsync(
            new { meterId = master, at = "2026-11-02T08:00:00+08:00", registers = new { total = "0" } },
            new { meterId = master, at = "2026-11-02T18:00:00+08:00", registers = new { total = "10" } });
        var rule = (await s.Admin.PostOkAsync("/api/apportionments", new
        {
            siteId = s.Site.SiteId, masterMeterId = master, kind = "common", method = "equal",
            shares = new[] { new { accountId = s.Account }, new { accountId = s.OtherAccount } },
        })).Id();
        await s.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", new { from = "2026-11-02T08:00:00+08:00", to = "2026-11-02T18:00:00+08:00" }, HttpStatusCode.OK);

        var st = await StatementAsync(s.Tenant, s.Account, "from=2026-11-02&to=2026-11-03");
        var line = Assert.Single(st.GetProperty("lines").EnumerateArray());
        Assert.Equal("apportionment", line.Str("kind"));
        Assert.Equal("-5.00", line.Str("amount"));
        var d = line.GetProperty("detail");
        Assert.Equal(rule, d.GetProperty("ruleId").GetInt64());
        Assert.Equal("equal", d.Str("method"));
        Assert.Equal(50m, decimal.Parse(d.Str("sharePercent"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("10.00", d.Str("total"));
        Assert.Equal("2026-11-02T08:00:00.000+08:00", d.Str("from"));
        Assert.Contains($"rule {rule}", line.Str("explanation"));
        AssertSumsToTheFen(st);
    }

    [Fact]
    public async Task AnotherTenantsAccount_Answers404_AndAnonymous401()
    {
        using var s = await ShopAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await s.Tenant.GetAsync($"/api/accounts/{s.OtherAccount}/statements")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Tenant.GetAsync("/api/accounts/999999/statements")).StatusCode);
        using var anonymous = s.App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/accounts/{s.Account}/statements")).StatusCode);
    }

    [Theory]
    [InlineData("group=week", "group")]
    [InlineData("format=pdf", "format")]
    [InlineData("from=2026-11-05&to=2026-11-01", "to")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2024-01-01&to=2026-01-01&group=day", "to")]
    public async Task BadQuery_Answers400NamingTheField(string query, string field)
    {
        using var s = await ShopAsync();
        var response = await s.Tenant.GetAsync($"/api/accounts/{s.Account}/statements?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task DefaultPeriod_IsThisMonthInTheSiteZone()
    {
        using var s = await ShopAsync();
        var st = await StatementAsync(s.Tenant, s.Account, "group=day");
        Assert.Equal("2026-11-01T00:00:00.000+08:00", st.Str("from"));
        Assert.Equal("2026-11-03T00:00:00.000+08:00", st.Str("to"));
        Assert.Equal("Asia/Shanghai", st.Str("timeZone"));
    }
}
