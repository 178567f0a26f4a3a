using System.Globalization;
using System.Net;
using System.Text.Json;
using CsCheck;
using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// R36 as a property over a mixed simulation through the real API: one account with a time-of-use meter, a tiered meter
/// (monthly tiers, across a month boundary) and a water meter with a multiplier, counter top-ups with a 5 % fee, and a
/// common-area apportionment, in any order. For any period, with or without a grouping, opening + Σ lines = closing to
/// the fen, and statements of adjoining periods meet; over the whole history the explanations replay the ledger: each
/// meter's lines add up to what it was charged, its quantities to its register movement, its exact costs to the exact
/// cumulative cost ingest kept (R4).
/// </summary>
public class StatementPropertyTests
{
    static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-29T20:00:00+08:00");
    static readonly string[] Serials = ["E-TOU", "E-TIER", "W-1"];

    /// <summary>(what: 0–2 a reading of that meter, 3 a top-up; minutes later; step in hundredths of a unit, or the top-up in ten-fen).</summary>
    static readonly Gen<(int What, int Minutes, int Step)[]> Operations = Gen.Select(Gen.Int[0, 3], Gen.Int[10, 420], Gen.Int[0, 400]).Array[4, 28];

    [Fact]
    public void AnyPeriod_OpeningPlusLinesIsClosing_AndTheWholeHistoryExplainsTheLedger_R36()
    {
        Gen.Select(Operations, Gen.Int[0, 1000], Gen.Int[0, 1000]).Sample(t =>
        {
            var (ops, a, b) = t;
            RunAsync(ops, Math.Min(a, b) / 1000m, Math.Max(a, b) / 1000m).GetAwaiter().GetResult();
        }, iter: 10);
    }

    sealed class Sim(PrepaidApp app) : IDisposable
    {
        public PrepaidApp App { get; } = app;
        public HttpClient Admin { get; private set; } = null!;
        DateTimeOffset signedInAt;

        /// <summary>Moves the clock on, signing in again before the 12-hour token runs out.</summary>
        public async Task AtAsync(DateTimeOffset at)
        {
            if (at > App.Time.GetUtcNow()) App.Time.SetUtcNow(at);
            if (Admin is not null && at - signedInAt < TimeSpan.FromHours(10)) return;
            var fresh = await App.AdminAsync();
            signedInAt = App.Time.GetUtcNow();
            if (Admin is null)
            {
                Admin = fresh;
                return;
            }
            // The same client (the site builder holds it), a new token.
            Admin.DefaultRequestHeaders.Authorization = fresh.DefaultRequestHeaders.Authorization;
            fresh.Dispose();
        }

        public void Dispose()
        {
            Admin?.Dispose();
            App.Dispose();
        }
    }

    static async Task RunAsync((int What, int Minutes, int Step)[] ops, decimal cutA, decimal cutB)
    {
        using var sim = new Sim(new PrepaidApp());
        await sim.AtAsync(Start);
        var site = new SiteBuilder(sim.Admin);
        await site.SiteAsync();
        var tou = (await sim.Admin.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "TOU", utility = "electricity",
            versions = new[]
            {
                new
                {
                    effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tou",
                    prices = new { sharp = "1.3011", peak = "0.9863", flat = "0.6853", valley = "0.3211" },
                    segments = new[]
                    {
                        new { from = "00:00", to = "08:00", period = "valley" }, new { from = "08:00", to = "10:00", period = "flat" },
                        new { from = "10:00", to = "12:00", period = "sharp" }, new { from = "12:00", to = "19:00", period = "peak" },
                        new { from = "19:00", to = "00:00", period = "flat" },
                    },
                },
            },
        })).Id();
        var tiered = (await sim.Admin.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "Tiered", utility = "electricity",
            versions = new[]
            {
                new
                {
                    effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tiered", period = "month",
                    tiers = new object[] { new { upTo = "4", price = "0.4883" }, new { upTo = "12", price = "0.5383" }, new { upTo = (string?)null, price = "0.7883" } },
                },
            },
        })).Id();
        var water = await site.FlatTariffAsync("3.2100", "water");
        long Meter(JsonElement m) => m.Id();
        var meters = new[]
        {
            Meter(await sim.Admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = Serials[0], utility = "electricity", ratedMaxPerHour = "1000" })),
            Meter(await sim.Admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = Serials[1], utility = "electricity", ratedMaxPerHour = "1000" })),
            Meter(await sim.Admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = Serials[2], utility = "water", multiplier = "2", ratedMaxPerHour = "1000", resolution = "0.001" })),
        };
        var tenant = await site.TenantAsync("Mixed shop", null, "13800000055");
        var opening = Start.ToString("O");
        var account = (await site.AccountAsync(tenant, [(meters[0], tou, "0"), (meters[1], tiered, "0"), (meters[2], water, "0")], opening,
            serviceFeeRate: "0.05")).Id();

        var at = Start;
        var totals = new decimal[3];
        var n = 0;
        foreach (var (what, minutes, step) in ops)
        {
            at = at.AddMinutes(minutes);
            await sim.AtAsync(at.AddSeconds(1));
            if (what == 3)
            {
                await site.TopUpAsync(account, (step * 10 / 100m + 0.01m).ToString("0.00", CultureInfo.InvariantCulture), $"prop-{n++}");
                continue;
            }
            totals[what] += what == 2 ? step / 1000m : step / 100m;
            await site.ReadingsAsync(new { meterId = meters[what], at = at.ToString("O"), registers = new { total = totals[what].ToString(CultureInfo.InvariantCulture) } });
        }
        // A common-area share of a master meter over the whole simulation, posted at its end.
        var master = (await sim.Admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "MASTER", utility = "electricity", tariffId = tou, ratedMaxPerHour = "1000" })).Id();
        var end = at.AddMinutes(30);
        await sim.AtAsync(end.AddMinutes(1));
        await site.ReadingsAsync(new { meterId = master, at = opening, registers = new { total = "0" } },
            new { meterId = master, at = end.ToString("O"), registers = new { total = "7.77" } });
        var rule = (await sim.Admin.PostOkAsync("/api/apportionments", new
        {
            siteId = site.SiteId, masterMeterId = master, kind = "common", method = "equal", shares = new[] { new { accountId = account } },
        })).Id();
        await sim.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", new { from = opening, to = end.ToString("O") }, HttpStatusCode.OK);

        var acc = await sim.Admin.GetOkAsync($"/api/accounts/{account}");
        var whole = $"from=2026-11-29&to={end.AddDays(1):yyyy-MM-dd}";
        foreach (var group in new[] { "", "&group=day", "&group=month" })
        {
            var st = await sim.Admin.GetOkAsync($"/api/accounts/{account}/statements?{whole}{group}");
            Assert.Equal("0.00", st.Str("openingBalance"));
            Assert.Equal(acc.Str("balance"), st.Str("closingBalance"));
            AssertAddsUp(st);
        }

        // The whole history explained: per meter the charges, the register movement and R4's exact cumulative cost.
        var byDay = await sim.Admin.GetOkAsync($"/api/accounts/{account}/statements?{whole}&group=day");
        var flat = await sim.Admin.GetOkAsync($"/api/accounts/{account}/statements?{whole}");
        await using var db = new SqliteConnection($"Data Source={sim.App.DatabasePath}");
        var exact = (await db.QueryAsync<(long MeterId, string ExactCost)>("SELECT meter_id, exact_cost FROM account_meters WHERE account_id = @account", new { account }))
            .ToDictionary(r => r.MeterId, r => decimal.Parse(r.ExactCost, CultureInfo.InvariantCulture));
        for (var i = 0; i < 3; i++)
        {
            var meter = acc.GetProperty("meters").EnumerateArray().Single(m => m.GetProperty("meterId").GetInt64() == meters[i]);
            var charged = Fen(meter.Str("charged"));
            var days = Consumption(byDay, meters[i]);
            Assert.Equal(-charged, days.Sum(l => Fen(l.Str("amount"))));
            Assert.Equal(-charged, Consumption(flat, meters[i]).Sum(l => Fen(l.Str("amount"))));
            var multiplier = i == 2 ? 2m : 1m;
            Assert.Equal(totals[i] * multiplier, days.Sum(l => Dec(l.GetProperty("detail").Str("quantity"))));
            var replayed = days.Sum(l => Dec(l.GetProperty("detail").Str("cost")));
            Assert.True(Math.Abs(replayed - exact[meters[i]]) < 0.000000000001m, $"{Serials[i]}: replayed cost {replayed}, ingest's exact cost {exact[meters[i]]}");
        }
        var share = Assert.Single(flat.GetProperty("lines").EnumerateArray(), l => l.Str("kind") == "apportionment");
        Assert.Equal(rule, share.GetProperty("detail").GetProperty("ruleId").GetInt64());

        // Any period: the lines add up, and adjoining statements meet.
        var span = (end - Start).Ticks;
        var from = Start.AddTicks((long)(span * cutA)).ToString("O");
        var to = Start.AddTicks((long)(span * cutB) + 1).ToString("O");
        var before = await sim.Admin.GetOkAsync($"/api/accounts/{account}/statements?from=2026-11-29&to={Uri.EscapeDataString(from)}");
        foreach (var group in new[] { "", "&group=day", "&group=month" })
        {
            var part = await sim.Admin.GetOkAsync($"/api/accounts/{account}/statements?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}{group}");
            AssertAddsUp(part);
            Assert.Equal(before.Str("closingBalance"), part.Str("openingBalance"));
        }
    }

    static List<JsonElement> Consumption(JsonElement statement, long meterId) =>
        statement.GetProperty("lines").EnumerateArray()
            .Where(l => l.Str("kind") == "consumption" && l.GetProperty("meterId").GetInt64() == meterId).ToList();

    static void AssertAddsUp(JsonElement st)
    {
        var lines = st.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(Fen(st.Str("closingBalance")), Fen(st.Str("openingBalance")) + lines.Sum(l => Fen(l.Str("amount"))));
        // A printed statement names every kind of line in words, never by its code.
        Assert.All(lines, l => Assert.True(Prepaid.Api.Statements.StatementLabels.InChinese.KindName(l.Str("kind")) != l.Str("kind")
                                           && Prepaid.Api.Statements.StatementLabels.InEnglish.KindName(l.Str("kind")) != l.Str("kind"), $"no printed name for {l.Str("kind")}"));
        if (st.GetProperty("groups").ValueKind != JsonValueKind.Array) return;
        var running = Fen(st.Str("openingBalance"));
        foreach (var g in st.GetProperty("groups").EnumerateArray())
        {
            Assert.Equal(running, Fen(g.Str("openingBalance")));
            var sum = lines.Where(l => l.Str("period") == g.Str("period")).Sum(l => Fen(l.Str("amount")));
            Assert.Equal(sum, Fen(g.Str("amount")));
            running += sum;
            Assert.Equal(running, Fen(g.Str("closingBalance")));
        }
        Assert.Equal(Fen(st.Str("closingBalance")), running);
    }

    static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    static long Fen(string amount) => (long)(Dec(amount) * 100m);
}
