using System.Data.Common;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;

namespace Prepaid.Api.Apportionments;

/// <summary>
/// Runs an apportionment rule over a period: the master meter's quantity at the period's edges (R18),
/// minus the sub-meters' for a loss rule (R19), priced with the master's tariff, split by largest remainder,
/// and debited from each account's wallet under the key apportion:&lt;rule&gt;:&lt;from&gt;-&lt;to&gt;:&lt;account&gt; (R20).
/// </summary>
public sealed class ApportionmentRunner(Db db, TimeProvider time, IPostingEvents events)
{
    sealed record Rule(long Id, long SiteId, long MasterMeterId, long TariffId, string Kind, string Method, string SharesJson);

    static readonly string[] Counted = ["baseline", "billed", "late"];

    public async Task<IResult> RunAsync(long ruleId, RunRequest request, CancellationToken ct)
    {
        var from = ApiFormat.Instant(request.From!);
        var to = ApiFormat.Instant(request.To!);
        var now = time.GetUtcNow();
        if (to > now) return Problems.Field("to", "The period must have ended.", StatusCodes.Status422UnprocessableEntity, "The period is not over yet.");
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();

        return await PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            var rule = await connection.QuerySingleOrDefaultAsync<Rule>(
                "SELECT id, site_id, master_meter_id, tariff_id, kind, method, shares_json FROM apportionment_rules WHERE id = @ruleId", new { ruleId }, tx);
            if (rule is null) return Problems.NotFound($"Apportionment rule {ruleId}");
            // The period is answered in the site's zone, whatever offset the request used.
            var zone = ApiFormat.Zone(await connection.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @SiteId", rule, tx) ?? "UTC");

            // R20: the same period again answers the first run and posts nothing.
            var previous = await connection.QuerySingleOrDefaultAsync<string?>(
                "SELECT result_json FROM apportionment_runs WHERE rule_id = @ruleId AND from_ms = @fromMs AND to_ms = @toMs", new { ruleId, fromMs, toMs }, tx);
            if (previous is not null)
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(previous)!;
                node["alreadyRun"] = true;
                node["from"] = ApiFormat.Instant(fromMs, zone);
                node["to"] = ApiFormat.Instant(toMs, zone);
                return (IResult)TypedResults.Ok(node);
            }
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM apportionment_runs WHERE rule_id = @ruleId AND from_ms < @toMs AND to_ms > @fromMs", new { ruleId, fromMs, toMs }, tx) > 0)
                return Problems.Conflict("The period overlaps a period this rule has already apportioned.");

            var site = (await SiteRuntime.LoadAsync(connection, tx, rule.SiteId))!;
            var shares = JsonSerializer.Deserialize<List<ShareDto>>(rule.SharesJson, JsonSerializerOptions.Web)!;
            var master = await QuantityAsync(connection, tx, rule.MasterMeterId, from, to);
            if (master is null)
                return Problems.Field("from", "The master meter has no reading at or before the period's start.", StatusCodes.Status422UnprocessableEntity, "The master meter's consumption is unknown.");

            var subByAccount = new Dictionary<long, decimal>();
            if (rule.Kind == "loss" || rule.Method == "consumption")
                foreach (var s in shares)
                {
                    var sum = 0m;
                    var meterIds = await connection.QueryAsync<long>("""
                        SELECT am.meter_id FROM account_meters am JOIN meters m ON m.id = am.meter_id JOIN meters mm ON mm.id = @master
                        WHERE am.account_id = @AccountId AND am.closed_at_ms IS NULL AND m.utility = mm.utility
                        """, new { master = rule.MasterMeterId, s.AccountId }, tx);
                    foreach (var meterId in meterIds) sum += await QuantityAsync(connection, tx, meterId, from, to) ?? 0m;
                    subByAccount[s.AccountId] = sum;
                }
            var subTotal = subByAccount.Values.Sum();
            var quantity = rule.Kind == "loss" ? master.Value - subTotal : master.Value;
            var utility = await connection.ExecuteScalarAsync<string>("SELECT utility FROM tariffs WHERE id = @TariffId", new { rule.TariffId }, tx);
            ApiFormat.TryUtility(utility, out var u);
            var tariffJson = await connection.ExecuteScalarAsync<string>("SELECT versions_json FROM tariffs WHERE id = @TariffId", new { rule.TariffId }, tx);
            if (quantity < 0)
                // R19: a negative loss means the sub-meters read more than the master; report it, apportion nothing, store no run.
                return TypedResults.Ok(new
                {
                    ruleId, from = ApiFormat.Instant(fromMs, zone), to = ApiFormat.Instant(toMs, zone), apportioned = false,
                    masterQuantity = ApiFormat.Decimal(master.Value), subQuantity = ApiFormat.Decimal(subTotal), quantity = ApiFormat.Decimal(quantity),
                    reason = "Negative loss: the sub-meters consumed more than the master meter (R19). Nothing was apportioned.",
                });

            var priced = Pricing.Price(new PricingRequest(TariffMapping.ToEngine(u, TariffMapping.Deserialize(tariffJson!)), site.Zone, from, to, quantity, null, TierUsage.Empty));
            var total = Money.Round(priced.Cost);
            var weights = await WeightsAsync(connection, tx, rule.Method, shares, subByAccount);
            if (weights.Sum() <= 0)
                return Problems.Field("shares", "The shares' weights add up to zero for this period (no sub-meter consumption).", StatusCodes.Status422UnprocessableEntity, "Nothing to apportion by.");
            var amounts = Apportion.LargestRemainder(total, weights);

            var accounts = await AccountRuntime.LoadAsync(connection, tx, db.Dialect, shares.Select(s => s.AccountId));
            var ledger = new LedgerWriter(connection, tx, db.Dialect);
            await ledger.LoadAsync(accounts.Values.Select(a => a.WalletLedgerId).Append(site.LedgerIds[SiteLedger.CommonArea]));
            for (var i = 0; i < shares.Count; i++)
            {
                if (amounts[i].Fen <= 0) continue;
                var account = accounts[shares[i].AccountId];
                var before = new Money(ledger.Balance(account.WalletLedgerId));
                ledger.Post($"apportion:{ruleId}:{fromMs}-{toMs}:{account.Id}", 0, "apportionment", toMs, account.Id, rule.MasterMeterId,
                    account.WalletLedgerId, site.LedgerIds[SiteLedger.CommonArea], amounts[i].Fen);
                var meterIds = (await connection.QueryAsync<long>("SELECT meter_id FROM account_meters WHERE account_id = @Id AND closed_at_ms IS NULL", new { account.Id }, tx)).ToList();
                account.AfterPosting(site, before, new Money(ledger.Balance(account.WalletLedgerId)), now, meterIds, outbox);
            }
            object result = new
            {
                ruleId, from = ApiFormat.Instant(fromMs, zone), to = ApiFormat.Instant(toMs, zone), apportioned = true, alreadyRun = false, kind = rule.Kind, method = rule.Method,
                masterQuantity = ApiFormat.Decimal(master.Value), subQuantity = ApiFormat.Decimal(subTotal), quantity = ApiFormat.Decimal(quantity),
                cost = ApiFormat.Decimal(priced.Cost), total = total.ToString(),
                amounts = shares.Select((s, i) => new { accountId = s.AccountId, weight = ApiFormat.Decimal(weights[i]), amount = amounts[i].ToString() }),
            };
            await connection.ExecuteAsync("INSERT INTO apportionment_runs (rule_id, from_ms, to_ms, result_json, created_at_ms) VALUES (@ruleId, @fromMs, @toMs, @json, @nowMs)",
                new { ruleId, fromMs, toMs, json = JsonSerializer.Serialize(result), nowMs = now.ToUnixTimeMilliseconds() }, tx);
            await ledger.FlushAsync(ct);
            await AccountRuntime.SaveAsync(connection, tx, accounts.Values);
            return TypedResults.Ok(result);
        }, ct);
    }

    /// <summary>
    /// R18: (value at to − value at from) × multiplier, each edge at a reading or interpolated between two, on the series of
    /// readings unwrapped at the meter's register_max (R18a), so a register that rolled over in or around the period counts on.
    /// </summary>
    static async Task<decimal?> QuantityAsync(DbConnection connection, DbTransaction tx, long meterId, DateTimeOffset from, DateTimeOffset to)
    {
        var meter = await connection.QuerySingleAsync<(string Multiplier, string RegisterMax)>(
            "SELECT multiplier, register_max FROM meters WHERE id = @meterId", new { meterId }, tx);
        var multiplier = ApiFormat.ParseDecimal(meter.Multiplier);
        // The readings around each edge are enough: the last at or before it and the first after it.
        var rows = await connection.QueryAsync<(long AtMs, long TotalMilli)>($"""
            SELECT at_ms, total_milli FROM readings
            WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ('{string.Join("','", Counted)}')
              AND at_ms >= COALESCE((SELECT MAX(at_ms) FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ('{string.Join("','", Counted)}') AND at_ms <= @fromMs), @fromMs)
              AND at_ms <= COALESCE((SELECT MIN(at_ms) FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ('{string.Join("','", Counted)}') AND at_ms >= @toMs), @toMs)
            ORDER BY at_ms
            """, new { meterId, fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds() }, tx);
        var points = Apportion.Unwrap(rows.Select(r => (DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), ApiFormat.FromMilli(r.TotalMilli))),
            ApiFormat.ParseDecimal(meter.RegisterMax));
        var start = Apportion.ValueAt(points, from);
        var end = Apportion.ValueAt(points, to);
        return start is null || end is null ? null : (end.Value - start.Value) * multiplier;
    }

    static async Task<decimal[]> WeightsAsync(DbConnection connection, DbTransaction tx, string method, List<ShareDto> shares, Dictionary<long, decimal> consumption)
    {
        var weights = new decimal[shares.Count];
        for (var i = 0; i < shares.Count; i++)
            weights[i] = method switch
            {
                "equal" => 1m,
                "weights" => ApiFormat.ParseDecimal(shares[i].Weight!),
                "consumption" => Math.Max(0m, consumption.GetValueOrDefault(shares[i].AccountId)),
                _ => await connection.ExecuteScalarAsync<long>(
                    "SELECT COALESCE(rm.area_cm2, 0) FROM accounts a LEFT JOIN rooms rm ON rm.id = a.room_id WHERE a.id = @AccountId",
                    new { shares[i].AccountId }, tx) / 10_000m,
            };
        return weights;
    }
}
