using System.Globalization;
using System.Net;
using CsCheck;
using Dapper;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R22 through a tenant's whole life on a meter: any interleaving of its events, ended by a move-out.</summary>
public class TenancyPropertyTests
{
    enum Op { Reading, TopUp, Charge, Run, Deposit, Swap, EndCharge }

    sealed record Step(Op Op, int Hours, long Milli, long Fen, int DueDay, bool Trips);

    static readonly Gen<Step> Steps = Gen.Select(Gen.Int[0, 6], Gen.Int[1, 72], Gen.Long[0, 15_000], Gen.Long[1, 300_000], Gen.Int[1, 31], Gen.Bool)
        .Select((op, hours, milli, fen, dueDay, trips) => new Step((Op)op, hours, milli, fen, dueDay, trips));

    [Fact] // the acceptance property: readings, top-ups, charges, a swap and a move-out in any order keep R22, and the move-out empties the wallet
    public async Task AnyInterleaving_OfReadingsTopUpsChargesASwapAndAMoveOut_KeepsR22_R22_R26_R27_R28()
    {
        using var s = await TenancySite.CreateAsync(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var n = 0;
        await Gen.Select(Steps.List[2, 14], Gen.Long[0, 15_000], Gen.Bool).SampleAsync(async (steps, lastMilli, moveIn) =>
        {
            var k = ++n;
            var meter = await s.Site.MeterAsync($"P-{k}");
            var now = s.App.Time.GetUtcNow();
            var register = 0L;
            var account = await s.AccountAsync(meter, k % 2 == 0 ? s.Flat : s.Tou, "0", Instant(now, zone), $"P{k}", $"1390000{k:0000}");
            var swapped = false;
            long? agreement = null;
            var key = 0;
            foreach (var step in steps)
            {
                switch (step.Op)
                {
                    case Op.Reading:
                        await s.AdvanceAsync(TimeSpan.FromHours(step.Hours));
                        register += step.Milli;
                        var outcome = await s.ReadingAsync(meter, Instant(s.App.Time.GetUtcNow(), zone), Total(register));
                        Assert.Contains(outcome[0].Str("status"), new[] { "billed" });
                        break;
                    case Op.TopUp:
                        await s.Site.TopUpAsync(account, Yuan(step.Fen), $"p{k}-{++key}");
                        break;
                    case Op.Deposit:
                        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{account}/deposits", new { amount = Yuan(step.Fen), channel = "cash" }, $"p{k}-{++key}",
                            HttpStatusCode.Created);
                        break;
                    case Op.Charge:
                        agreement = (await s.OkAsync(HttpMethod.Post, "/api/charges", new
                        {
                            accountId = account, kind = step.Trips ? "rent" : "propertyFee", name = "Charge", amount = Yuan(step.Fen), period = "month",
                            dueDay = step.DueDay, from = Day(s.App.Time.GetUtcNow(), zone), tripsOnArrears = step.Trips,
                        }, expected: HttpStatusCode.Created)).GetProperty("agreement").Id();
                        break;
                    case Op.Run:
                        await s.AdvanceAsync(TimeSpan.FromHours(step.Hours * 10));
                        await s.OkAsync(HttpMethod.Post, "/api/charges/run", new { at = Instant(s.App.Time.GetUtcNow(), zone) });
                        break;
                    case Op.EndCharge when agreement is { } id:
                        using (await s.SendAsync(HttpMethod.Delete, $"/api/charges/{id}?to={Day(s.App.Time.GetUtcNow().AddDays(step.Hours % 20), zone)}")) { }
                        break;
                    case Op.Swap when !swapped:
                        await s.AdvanceAsync(TimeSpan.FromHours(step.Hours));
                        register += step.Milli;
                        var swap = await s.OkAsync(HttpMethod.Post, $"/api/meters/{meter}/replace", new
                        {
                            at = Instant(s.App.Time.GetUtcNow(), zone), finalReading = new { registers = new { total = Total(register) } },
                            newMeter = new { serial = $"P-{k}-NEW" }, initialReading = new { registers = new { total = Total(step.Fen % 100_000) } },
                        }, expected: HttpStatusCode.Created);
                        meter = swap.GetProperty("newMeterId").GetInt64();
                        register = step.Fen % 100_000;
                        swapped = true;
                        break;
                }
                await s.AssertLedgerHoldsAsync();
            }

            await s.AdvanceAsync(TimeSpan.FromHours(3));
            var body = new
            {
                at = Instant(s.App.Time.GetUtcNow(), zone), settle = "cash", preview = true,
                finalReadings = new[] { new { meterId = meter, registers = new { total = Total(register + lastMilli) } } },
                moveIn = moveIn ? new { tenantId = await s.Site.TenantAsync($"Next {k}", null, $"1370000{k:0000}") } : null,
            };
            var preview = await s.CloseAsync(account, body);
            var final = TenancySite.Fen(preview.Str("finalBalance"));
            var closed = await s.CloseAsync(account, body with { settle = final < 0 ? "carryDebt" : "cash", preview = false });

            Assert.Equal(preview.Str("finalBalance"), closed.Str("finalBalance"));
            Assert.Equal(final, TenancySite.Fen(closed.Str("cashOut")) - TenancySite.Fen(closed.Str("debt")));
            Assert.Equal(0, await s.BalanceFenAsync(account));
            // R4 over the chain: the account's consumption debits are its meters' exact cumulative cost rounded once.
            await using var c = s.Sql();
            var exact = await c.ExecuteScalarAsync<string>("SELECT exact_cost FROM account_meters WHERE account_id = @account ORDER BY id DESC LIMIT 1", new { account });
            Assert.Equal(-Money.Round(decimal.Parse(exact!, CultureInfo.InvariantCulture)).Fen, await s.SumAsync(account, "consumption"));
            await s.AssertLedgerHoldsAsync();
        }, iter: 30, threads: 1);
    }

    static string Instant(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    static string Day(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static string Total(long milli) => (milli / 1000m).ToString("0.000", CultureInfo.InvariantCulture);

    static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
