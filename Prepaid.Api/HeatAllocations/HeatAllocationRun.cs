using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;

namespace Prepaid.Api.HeatAllocations;

/// <summary>
/// R34 over one period of a building: the heat Q priced into C (given, or at a heat tariff), split by HeatAllocation over
/// the flats, each amount debited from the flat's wallet to heat revenue under heat:&lt;id&gt;:&lt;account&gt;. One run per site
/// and period: the same request again answers the first run and posts nothing; a different one for that period is a 409.
/// </summary>
public sealed class HeatAllocationRun(Db db, TimeProvider time, IPostingEvents events)
{
    sealed record Taken(long SiteId, string From, string To, string Quantity, string? TotalCost, long? TariffId, string Ur, string CorrectionFactor,
        List<HeatFlatDto> Flats);

    public async Task<IResult> RunAsync(HeatAllocationRequest r, long userId, CancellationToken ct)
    {
        var from = ApiFormat.Instant(r.From!);
        var to = ApiFormat.Instant(r.To!);
        var now = time.GetUtcNow();
        if (to > now) return Problems.Field("to", "The period must have ended.", StatusCodes.Status422UnprocessableEntity, "The period is not over yet.");
        var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());

        return await PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            var site = await SiteRuntime.LoadAsync(connection, tx, r.SiteId);
            if (site is null) return Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
            var settings = await HeatSettings.LoadAsync(connection, tx, r.SiteId);
            var ur = Canonical(r.Ur) ?? settings?.Ur;
            if (ur is null) return Problems.Field("ur", "Give ur, or set the site's heat settings first.");
            var k = Canonical(r.CorrectionFactor) ?? settings?.CorrectionFactor ?? Canonical(ApiFormat.Decimal(HeatAllocation.DefaultCorrectionFactor))!;
            var taken = new Taken(r.SiteId, ApiFormat.Instant(from), ApiFormat.Instant(to), Canonical(r.Quantity)!,
                r.TotalCost is null ? null : ApiFormat.Amount(ApiFormat.Fen(r.TotalCost)), r.TariffId, ur, k,
                [.. r.Flats!.Select(f => f with { AreaM2 = Canonical(f.AreaM2), AllocatorUnits = Canonical(f.AllocatorUnits) })]);
            var takenJson = JsonSerializer.Serialize(taken, JsonSerializerOptions.Web);

            var previous = await connection.QuerySingleOrDefaultAsync<(long Id, string RequestJson, string ResultJson)?>(
                "SELECT id, request_json, result_json FROM heat_allocations WHERE site_id = @SiteId AND from_ms = @fromMs AND to_ms = @toMs",
                new { r.SiteId, fromMs, toMs }, tx);
            if (previous is { } p)
            {
                if (p.RequestJson != takenJson)
                    return Problems.Conflict($"This period is already allocated (run {p.Id}) with other figures.");
                var node = JsonNode.Parse(p.ResultJson)!;
                node["alreadyRun"] = true;
                return (IResult)TypedResults.Ok(node);
            }
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM heat_allocations WHERE site_id = @SiteId AND from_ms < @toMs AND to_ms > @fromMs", new { r.SiteId, fromMs, toMs }, tx) > 0)
                return Problems.Conflict("The period overlaps a period of this site that is already allocated.");

            var flats = r.Flats!;
            var accounts = (await connection.QueryAsync<(long Id, long SiteId, long? ClosedAtMs, string TenantName, string? RoomCode)>($"""
                SELECT a.id, a.site_id, a.closed_at_ms, t.name AS tenant_name, rm.code AS room_code
                FROM accounts a JOIN tenants t ON t.id = a.tenant_id LEFT JOIN rooms rm ON rm.id = a.room_id
                WHERE a.id IN {db.Dialect.IdsFromJson("@ids")}
                """, new { ids = JsonSerializer.Serialize(flats.Select(f => f.AccountId)) }, tx)).ToDictionary(a => a.Id);
            var errors = new Dictionary<string, string[]>();
            for (var i = 0; i < flats.Count; i++)
                if (!accounts.TryGetValue(flats[i].AccountId, out var a) || a.SiteId != r.SiteId) errors[$"flats[{i}].accountId"] = ["Must be an account of the site."];
                else if (a.ClosedAtMs is not null) errors[$"flats[{i}].accountId"] = ["The account is closed."];
            if (errors.Count > 0) return Problems.Fields(errors);

            var quantity = ApiFormat.ParseDecimal(r.Quantity!);
            decimal cost;
            if (r.TotalCost is not null) cost = new Money(ApiFormat.Fen(r.TotalCost)).Yuan;
            else
            {
                var tariff = await connection.QuerySingleOrDefaultAsync<(string Utility, string VersionsJson)?>(
                    "SELECT utility, versions_json FROM tariffs WHERE id = @TariffId AND site_id = @SiteId", new { r.TariffId, r.SiteId }, tx);
                if (tariff is not { Utility: "heat" } t) return Problems.Field("tariffId", "Must be a heat tariff of the site.");
                var engineTariff = TariffMapping.ToEngine(Utility.Heat, TariffMapping.Deserialize(t.VersionsJson));
                if (!TariffStart.Prices(TariffStart.Of(engineTariff), from))
                    return Problems.Field("tariffId", "The tariff has no price at the period's start (R12a).", StatusCodes.Status422UnprocessableEntity, "The heat has no price.");
                cost = Pricing.Price(new PricingRequest(engineTariff, site.Zone, from, to, quantity, null, TierUsage.Empty)).Cost;
            }

            var shares = HeatAllocation.Allocate(quantity, cost, ApiFormat.ParseDecimal(ur), ApiFormat.ParseDecimal(k),
                [.. flats.Select(f => new HeatFlat(ApiFormat.ParseDecimal(f.AreaM2!), f.AllocatorUnits is null ? null : ApiFormat.ParseDecimal(f.AllocatorUnits)))]);

            var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("heat_allocations",
                "site_id, from_ms, to_ms, request_json, result_json, created_by, created_at_ms", "@SiteId, @fromMs, @toMs, @takenJson, '{}', @userId, @nowMs"),
                new { r.SiteId, fromMs, toMs, takenJson, userId, nowMs = now.ToUnixTimeMilliseconds() }, tx);

            var runtimes = await AccountRuntime.LoadAsync(connection, tx, db.Dialect, flats.Select(f => f.AccountId));
            var revenue = site.LedgerIds[SiteLedger.Revenue(Utility.Heat)];
            var ledger = new LedgerWriter(connection, tx, db.Dialect);
            await ledger.LoadAsync(runtimes.Values.Select(a => a.WalletLedgerId).Append(revenue));
            for (var i = 0; i < flats.Count; i++)
            {
                if (shares[i].Amount.Fen <= 0) continue;
                var account = runtimes[flats[i].AccountId];
                var before = new Money(ledger.Balance(account.WalletLedgerId));
                ledger.Post(Key(id, account.Id), 0, "heat", toMs, account.Id, null, account.WalletLedgerId, revenue, shares[i].Amount.Fen);
                var meterIds = (await connection.QueryAsync<long>("SELECT meter_id FROM account_meters WHERE account_id = @Id AND closed_at_ms IS NULL", new { account.Id }, tx)).ToList();
                account.AfterPosting(site, before, new Money(ledger.Balance(account.WalletLedgerId)), now, meterIds, outbox);
            }

            var result = new
            {
                id, siteId = r.SiteId, from = ApiFormat.Instant(fromMs, site.Zone), to = ApiFormat.Instant(toMs, site.Zone), alreadyRun = false,
                quantity = taken.Quantity, cost = ApiFormat.Decimal(cost), totalCost = new Money(shares.Sum(s => s.Amount.Fen)).ToString(),
                tariffId = r.TariffId, ur, correctionFactor = k,
                flats = flats.Select((f, i) => new
                {
                    accountId = f.AccountId, tenant = accounts[f.AccountId].TenantName, room = accounts[f.AccountId].RoomCode,
                    model = shares[i].Model == HeatModel.TwoEG ? "2EG" : "3EG", areaM2 = taken.Flats[i].AreaM2, allocatorUnits = taken.Flats[i].AllocatorUnits,
                    quantity = shares[i].ShownQuantity.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
                    exactQuantity = shares[i].Quantity.ToString(), amount = shares[i].Amount.ToString(), key = Key(id, f.AccountId),
                }),
            };
            await connection.ExecuteAsync("UPDATE heat_allocations SET result_json = @json WHERE id = @id", new { json = JsonSerializer.Serialize(result), id }, tx);
            await ledger.FlushAsync(ct);
            await AccountRuntime.SaveAsync(connection, tx, runtimes.Values);
            return TypedResults.Created($"/api/heat-allocations/{id}", result);
        }, ct);
    }

    public static string Key(long id, long accountId) => $"heat:{id}:{accountId}";

    /// <summary>"50.50" and "50.5" are the same area: a repeat is told by value, not by spelling.</summary>
    public static string? Canonical(string? text) => text is null ? null
        : (ApiFormat.ParseDecimal(text) / 1.000000000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
