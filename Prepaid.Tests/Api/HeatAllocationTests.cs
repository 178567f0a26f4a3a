using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsCheck;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class HeatAllocationTests
{
    sealed record Building(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long HeatTariff, long[] Accounts, long[] Allocators) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    static readonly (string Area, string? Units)[] Flats =
        [("50", null), ("70", null), ("60", "120"), ("80", "300"), ("40", "0"), ("100", "180")];

    /// <summary>
    /// Six flats, each an account on its own electricity meter; the four with allocators also carry a heat cost allocator
    /// (kind allocator) on their account. A heat tariff of 80.1234 CNY/GJ from 1 January 2026.
    /// </summary>
    static async Task<Building> BuildingAsync()
    {
        var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-05T00:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(name: "Block 7");
        var power = await site.FlatTariffAsync("1.0000");
        var heat = await site.FlatTariffAsync("80.1234", utility: "heat");
        var accounts = new long[Flats.Length];
        var allocators = new List<long>();
        for (var i = 0; i < Flats.Length; i++)
        {
            var meters = new List<(long, long, string)> { (await site.MeterAsync($"E-{i + 1}"), power, "0") };
            if (Flats[i].Units is not null)
            {
                var allocator = (await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = $"HCA-{i + 1}", utility = "heat", kind = "allocator" })).Id();
                allocators.Add(allocator);
                meters.Add((allocator, heat, "0"));
            }
            accounts[i] = (await site.AccountAsync(await site.TenantAsync($"Flat {i + 1}", phone: $"1390000100{i}"), meters, "2026-11-01T00:00:00+08:00")).Id();
        }
        return new Building(app, admin, site, heat, accounts, [.. allocators]);
    }

    static object Request(Building b, string? ur = "0.7", string? totalCost = null, bool tariff = true, IEnumerable<(string Area, string? Units)>? flats = null) => new
    {
        siteId = b.Site.SiteId, from = "2026-11-01T00:00:00+08:00", to = "2026-12-01T00:00:00+08:00", quantity = "123.456",
        totalCost, tariffId = tariff ? b.HeatTariff : (long?)null, ur,
        flats = (flats ?? Flats).Select((f, i) => new { accountId = b.Accounts[i], areaM2 = f.Area, allocatorUnits = f.Units }),
    };

    [Fact] // R36 over R34: each flat's statement line names its model, area, units and quantity of the building's heat
    public async Task StatementLine_OfAHeatAllocation_ExplainsTheFlatsModelAreaUnitsAndShare_R34_R36()
    {
        using var b = await BuildingAsync();
        var run = await b.Admin.PostOkAsync("/api/heat-allocations", Request(b));

        var lines = new List<JsonElement>();
        foreach (var account in new[] { b.Accounts[0], b.Accounts[2] })
        {
            var st = await b.Admin.GetOkAsync($"/api/accounts/{account}/statements?from=2026-11-01&to=2026-12-02");
            lines.Add(Assert.Single(st.GetProperty("lines").EnumerateArray(), l => l.Str("kind") == "heat"));
        }
        var (unmetered, metered) = (lines[0].GetProperty("detail"), lines[1].GetProperty("detail"));
        Assert.Equal(run.Id(), unmetered.GetProperty("allocationId").GetInt64());
        Assert.Equal(["2EG", "50", "23.742", "1902.25", "123.456"], new[] { unmetered.Str("model"), unmetered.Str("areaM2"), unmetered.Str("quantity"), unmetered.Str("amount"), unmetered.Str("buildingQuantity") });
        Assert.Equal(JsonValueKind.Null, unmetered.GetProperty("allocatorUnits").ValueKind);
        Assert.Equal(["3EG", "60", "120", "13.580", "1088.09"], new[] { metered.Str("model"), metered.Str("areaM2"), metered.Str("allocatorUnits"), metered.Str("quantity"), metered.Str("amount") });
        Assert.Equal("-1902.25", lines[0].Str("amount"));
        Assert.Contains("model 2EG", lines[0].Str("explanation"));
        Assert.Contains("120 allocator units", lines[1].Str("explanation"));
    }

    [Fact]
    public async Task SixFlatsTwoWithoutAllocators_PostsEachFlatsAmountAndTheMoneyAddsUpToThePricedHeat_R34()
    {
        using var b = await BuildingAsync();
        var run = await b.Admin.PostOkAsync("/api/heat-allocations", Request(b));

        // 123.456 GJ × 80.1234 = 9891.7144704 → 9891.71, split 2EG / 3EG as the engine's worked example.
        Assert.Equal("9891.71", run.Str("totalCost"));
        var flats = run.GetProperty("flats").EnumerateArray().ToArray();
        Assert.Equal(["2EG", "2EG", "3EG", "3EG", "3EG", "3EG"], flats.Select(f => f.Str("model")));
        Assert.Equal(["1902.25", "2663.15", "1088.09", "2320.75", "228.27", "1689.20"], flats.Select(f => f.Str("amount")));
        Assert.Equal(["23.742", "33.238", "13.580", "28.965", "2.849", "21.082"], flats.Select(f => f.Str("quantity")));
        var id = run.Id();
        Assert.Equal(b.Accounts.Select(a => $"heat:{id}:{a}"), flats.Select(f => f.Str("key")));

        var balances = await Task.WhenAll(b.Accounts.Select(b.Site.BalanceAsync));
        Assert.Equal(["-1902.25", "-2663.15", "-1088.09", "-2320.75", "-228.27", "-1689.20"], balances);
        Assert.Equal(-9891.71m, balances.Sum(decimal.Parse));
        var ledger = await b.Admin.GetOkAsync($"/api/accounts/{b.Accounts[3]}/ledger");
        Assert.Contains(ledger.EnumerateArray(), e => e.Str("key") == $"heat:{id}:{b.Accounts[3]}" && e.Str("amount") == "-2320.75");
        Assert.True((await b.Admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());

        // The run reads back as it was posted.
        var read = await b.Admin.GetOkAsync($"/api/heat-allocations/{id}");
        Assert.Equal(run.GetProperty("flats").GetRawText(), read.GetProperty("flats").GetRawText());
    }

    [Fact]
    public async Task SameRequestTwice_PostsNothingMore_R34()
    {
        using var b = await BuildingAsync();
        var first = await b.Admin.PostOkAsync("/api/heat-allocations", Request(b));
        // The same figures spelled otherwise ("0.70", "50.00") are the same request.
        var again = await b.Admin.PostOkAsync("/api/heat-allocations", Request(b, ur: "0.70", flats: Flats.Select(f => (f.Area + ".00", f.Units))), HttpStatusCode.OK);
        Assert.True(again.GetProperty("alreadyRun").GetBoolean());
        Assert.Equal(first.Id(), again.Id());
        Assert.Equal(-9891.71m, (await Task.WhenAll(b.Accounts.Select(b.Site.BalanceAsync))).Sum(decimal.Parse));

        // Other figures for the period already allocated are a conflict, and post nothing either.
        var other = await b.Admin.PostAsJsonAsync("/api/heat-allocations", Request(b, ur: "0.8"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(-9891.71m, (await Task.WhenAll(b.Accounts.Select(b.Site.BalanceAsync))).Sum(decimal.Parse));
        Assert.True((await b.Admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData("0.49")]
    [InlineData("0.91")]
    [InlineData("0.95")]
    public async Task UrOutsideTheRange_Answers400NamingUr_R34(string ur)
    {
        using var b = await BuildingAsync();
        var run = await b.Admin.PostAsJsonAsync("/api/heat-allocations", Request(b, ur: ur));
        Assert.Equal(HttpStatusCode.BadRequest, run.StatusCode);
        Assert.Contains("ur", (await run.ReadJsonAsync()).ErrorFields());

        var settings = await b.Admin.PutAsJsonAsync($"/api/sites/{b.Site.SiteId}/heat-settings", new { ur, correctionFactor = "2" });
        Assert.Equal(HttpStatusCode.BadRequest, settings.StatusCode);
        Assert.Contains("ur", (await settings.ReadJsonAsync()).ErrorFields());
        Assert.Equal(["0.00", "0.00", "0.00", "0.00", "0.00", "0.00"], await Task.WhenAll(b.Accounts.Select(b.Site.BalanceAsync)));
    }

    [Fact]
    public async Task SiteSettings_GiveUrAndKWhenTheRequestLeavesThemOut_R34()
    {
        using var b = await BuildingAsync();
        var missing = await b.Admin.PostAsJsonAsync("/api/heat-allocations", Request(b, ur: null));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("ur", (await missing.ReadJsonAsync()).ErrorFields());

        var put = await b.Admin.PutAsJsonAsync($"/api/sites/{b.Site.SiteId}/heat-settings", new { ur = "0.70", correctionFactor = "2.00" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var settings = await b.Admin.GetOkAsync($"/api/sites/{b.Site.SiteId}/heat-settings");
        Assert.Equal("0.7", settings.Str("ur"));
        var run = await b.Admin.PostOkAsync("/api/heat-allocations", Request(b, ur: null));
        Assert.Equal("0.7", run.Str("ur"));
        Assert.Equal("2", run.Str("correctionFactor"));
        Assert.Equal("9891.71", run.Str("totalCost"));
    }

    [Fact]
    public async Task TotalCostGiven_IsSplitAsIs_R34()
    {
        using var b = await BuildingAsync();
        var run = await b.Admin.PostOkAsync("/api/heat-allocations", Request(b, totalCost: "1000.00", tariff: false));
        Assert.Equal("1000.00", run.Str("totalCost"));
        Assert.Equal(1000.00m, run.GetProperty("flats").EnumerateArray().Sum(f => decimal.Parse(f.Str("amount"))));
        Assert.Equal(-1000.00m, (await Task.WhenAll(b.Accounts.Select(b.Site.BalanceAsync))).Sum(decimal.Parse));
    }

    [Fact]
    public async Task AllocatorReadings_AreUnitsNeverPricedByIngest_R34()
    {
        using var b = await BuildingAsync();
        // The allocator sits on the flat's account with a heat tariff: a second, higher reading would bill as energy if ingest priced it.
        var outcome = await b.Site.ReadingsAsync(
            new { serial = "HCA-3", at = "2026-11-20T00:00:00+08:00", registers = new { total = "120" } },
            new { serial = "HCA-3", at = "2026-11-25T00:00:00+08:00", registers = new { total = "200" } });
        Assert.All(outcome.EnumerateArray(), o => Assert.Equal("baseline", o.Str("status")));
        Assert.All(outcome.EnumerateArray(), o => Assert.Contains("units", o.Str("reason")));
        Assert.Equal("0.00", await b.Site.BalanceAsync(b.Accounts[2]));
        Assert.Equal("allocator", (await b.Admin.GetOkAsync($"/api/meters/{b.Allocators[0]}")).Str("kind"));

        var electricAllocator = await b.Admin.PostAsJsonAsync("/api/meters", new { siteId = b.Site.SiteId, serial = "HCA-X", utility = "electricity", kind = "allocator" });
        Assert.Equal(HttpStatusCode.BadRequest, electricAllocator.StatusCode);
        Assert.Contains("utility", (await electricAllocator.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task BadInput_Answers400NamingTheFieldAndPostsNothing_R34()
    {
        using var b = await BuildingAsync();
        foreach (var (body, field) in new (object, string)[]
        {
            (Request(b, flats: Flats.Select(f => (f.Area, f.Units is null ? null : "0"))), "flats[2].allocatorUnits"),
            (Request(b, totalCost: "10.00"), "tariffId"),
            (Request(b, tariff: false), "totalCost"),
            (Request(b, flats: Flats.Select((f, i) => (i == 0 ? "0" : f.Area, f.Units))), "flats[0].areaM2"),
        })
        {
            var response = await b.Admin.PostAsJsonAsync("/api/heat-allocations", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, (await response.ReadJsonAsync()).ErrorFields());
        }
        var water = await b.Site.FlatTariffAsync("3.0000", utility: "water");
        var wrongTariff = await b.Admin.PostAsJsonAsync("/api/heat-allocations", new
        {
            siteId = b.Site.SiteId, from = "2026-11-01T00:00:00+08:00", to = "2026-12-01T00:00:00+08:00", quantity = "10", tariffId = water, ur = "0.6",
            flats = new[] { new { accountId = b.Accounts[0], areaM2 = "50" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrongTariff.StatusCode);
        Assert.Contains("tariffId", (await wrongTariff.ReadJsonAsync()).ErrorFields());
        Assert.Equal(["0.00", "0.00", "0.00", "0.00", "0.00", "0.00"], await Task.WhenAll(b.Accounts.Select(b.Site.BalanceAsync)));
    }
}

public class HeatAllocationPropertyApiTests
{
    [Fact] // R34 through the API: for generated buildings the posted amounts add up to the total to the fen, and R22 holds after every run
    public async Task AnyBuilding_PostedAmountsSumToTheTotal_AndTheLedgerHolds_R22_R34()
    {
        using var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-05T00:00:00+08:00"));
        var admin = await app.AdminAsync();
        var buildings = 0;
        var gen = Gen.Select(
            Gen.Select(Gen.Int[500, 20_000], Gen.Frequency((1, Gen.Const((int?)null)), (3, Gen.Int[0, 5_000].Select(u => (int?)u)))).Array[1, 6]
                .Where(f => f.All(x => x.Item2 is null) || f.Sum(x => x.Item2 ?? 0) > 0),
            Gen.Long[0, 5_000_000], Gen.Int[50, 90], Gen.Long[1, 10_000_000]);
        await gen.SampleAsync(async (flats, costFen, ur, quantityMilli) =>
        {
            var n = Interlocked.Increment(ref buildings);
            var site = await new SiteBuilder(admin).SiteAsync(name: $"Block {n}");
            var power = await site.FlatTariffAsync();
            var accounts = new List<long>();
            for (var i = 0; i < flats.Length; i++)
                accounts.Add((await site.AccountAsync(await site.TenantAsync($"B{n} flat {i}", phone: $"139{n:D4}{i:D4}"),
                    [(await site.MeterAsync($"E-{n}-{i}"), power, "0")], "2026-11-01T00:00:00+08:00")).Id());
            var total = new Prepaid.Engine.Money(costFen).ToString();
            var run = await admin.PostOkAsync("/api/heat-allocations", new
            {
                siteId = site.SiteId, from = "2026-11-01T00:00:00+08:00", to = "2026-12-01T00:00:00+08:00", quantity = (quantityMilli / 1000m).ToString(System.Globalization.CultureInfo.InvariantCulture),
                totalCost = total, ur = $"0.{ur}",
                flats = flats.Select((f, i) => new { accountId = accounts[i], areaM2 = (f.Item1 / 100m).ToString(System.Globalization.CultureInfo.InvariantCulture), allocatorUnits = f.Item2?.ToString() }),
            });
            Assert.Equal(total, run.Str("totalCost"));
            Assert.Equal(costFen, run.GetProperty("flats").EnumerateArray().Sum(f => Prepaid.Engine.Money.TryParse(f.Str("amount"), out var m) ? m.Fen : throw new FormatException()));
            Assert.Equal(-costFen, (await Task.WhenAll(accounts.Select(site.BalanceAsync))).Sum(b => Prepaid.Engine.Money.TryParse(b, out var m) ? m.Fen : 0));
            Assert.True((await admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
        }, iter: 12, threads: 1);
    }
}
