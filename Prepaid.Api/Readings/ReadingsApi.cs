using Prepaid.Api.Localization;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Security.Claims;
using Dapper;
using FluentValidation;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

public sealed record HeldDecision([property: MaxLength(Limits.Note)] string? Note);

public sealed class HeldDecisionValidator : AbstractValidator<HeldDecision>
{
    public HeldDecisionValidator() => RuleFor(d => d.Note).MaximumLength(Limits.Note);
}

public static class ReadingsApi
{
    public static void MapReadings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/readings").WithTags("Readings").CheckParameters();
        group.MapPost("/", Ingest).RequireAuthorization(Roles.Manage)
            .WithSummary("Ingest up to 10,000 readings; each gets a status: billed, duplicate, late, suspect, rejected or baseline");
        group.MapGet("/rejects", Rejects).RequireAuthorization(Roles.Staff);
        group.MapPost("/held/{meterId:long}/accept", (long meterId, HeldDecision? d, ClaimsPrincipal user, Db db, ReadingIngestor ingestor, CancellationToken ct) => Resolve(meterId, true, d, user, db, ingestor, ct))
            .Validate<HeldDecision, HeldDecisionValidator>(bodyOptional: true).RequireAuthorization(Roles.Manage).WithSummary("Accept the suspect reading that holds a meter (R8) and bill it");
        group.MapPost("/held/{meterId:long}/reject", (long meterId, HeldDecision? d, ClaimsPrincipal user, Db db, ReadingIngestor ingestor, CancellationToken ct) => Resolve(meterId, false, d, user, db, ingestor, ct))
            .Validate<HeldDecision, HeldDecisionValidator>(bodyOptional: true).RequireAuthorization(Roles.Manage).WithSummary("Reject the suspect reading that holds a meter (R8)");
    }

    static async Task<IResult> Ingest(List<ReadingDto?>? body, ClaimsPrincipal user, Db db, ReadingIngestor ingestor, TimeProvider time, CancellationToken ct)
    {
        if (body is null) return Problems.Field("body", "Send a JSON array of readings.");
        var errors = ReadingBatch.Validate(body);
        var batch = body.Select(r => r ?? new ReadingDto(null, null, null, null)).ToList();
        if (errors.Count == 0)
            errors = await ResolveMetersAsync(db, batch, user.SitesJson(), ct);
        if (errors.Count > 0)
        {
            // Nothing of a refused batch is billed, but it is kept, so an operator can see what a gateway sent.
            await StoreRejectedBatchAsync(db, batch, errors, time, ct);
            return Problems.Fields(errors, title: "The batch was refused: no reading of it was stored as billed. Fix the fields named and send it again.");
        }

        var inputs = batch.Select(r =>
        {
            // R31: a reading a person took records who entered it (and, at storing, when).
            var source = r.Source ?? ReadingSources.Meter;
            return new ReadingInput(r.MeterId!.Value, ApiFormat.Instant(r.At!), ToRegisters(r.Registers!), source,
                source == ReadingSources.Manual ? user.Id() : null, r.Power is null ? null : Limits.Watts(r.Power));
        }).ToList();
        var outcomes = await ingestor.IngestAsync(inputs, ct);
        return TypedResults.Ok(outcomes.Select((o, i) => new
        {
            index = i, meterId = inputs[i].MeterId, at = batch[i].At, status = o.Status,
            amount = o.AmountFen is { } f ? ApiFormat.Amount(f) : null, reason = Catalog.LocalizeOrNull(o.Reason), source = inputs[i].Source,
        }));
    }

    /// <summary>Resolves serials to ids in place and names every reading whose meter is unknown.</summary>
    /// A site-scoped operator's meters outside their sites are unknown to them.
    internal static async Task<Dictionary<string, string[]>> ResolveMetersAsync(Db db, List<ReadingDto> batch, string? sites, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var serials = batch.Where(r => r.MeterId is null).Select(r => r.Serial!).Distinct().ToList();
        var bySerial = serials.Count == 0 ? new Dictionary<string, long>() : (await connection.QueryAsync<(long Id, string Serial)>(
                $"SELECT id, serial FROM meters WHERE serial IN {db.Dialect.TextsFromJson("@serials")}"
                + $" AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")})",
                new { serials = JsonSerializer.Serialize(serials), sites }))
            .ToDictionary(r => r.Serial, r => r.Id);
        var ids = batch.Where(r => r.MeterId is not null).Select(r => r.MeterId!.Value).Distinct().ToList();
        var known = ids.Count == 0 ? new HashSet<long>() : (await connection.QueryAsync<long>(
            $"SELECT id FROM meters WHERE id IN {db.Dialect.IdsFromJson("@ids")} AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")})",
            new { ids = JsonSerializer.Serialize(ids), sites })).ToHashSet();

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            if (r.MeterId is { } id)
            {
                if (!known.Contains(id)) errors[$"[{i}].meterId"] = [$"No meter has id {id}."];
                else if (r.Serial is not null && bySerial.TryGetValue(r.Serial, out var other) && other != id)
                    errors[$"[{i}].serial"] = [$"Serial {r.Serial} belongs to meter {other}, not {id}."];
            }
            else if (bySerial.TryGetValue(r.Serial!, out var resolved)) batch[i] = r with { MeterId = resolved };
            else errors[$"[{i}].serial"] = [$"No meter has serial {r.Serial}."];
        }
        return errors;
    }

    static async Task StoreRejectedBatchAsync(Db db, List<ReadingDto> batch, Dictionary<string, string[]> errors, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var reason = string.Join("; ", errors.Take(20).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) + (errors.Count > 20 ? $"; and {errors.Count - 20} more" : "");
        await connection.ExecuteAsync("INSERT INTO reading_rejects (meter_id, payload_json, reason, received_at_ms) VALUES (NULL, @payload, @reason, @nowMs)",
            new { payload = JsonSerializer.Serialize(batch), reason, nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }

    internal static Registers ToRegisters(RegistersDto r) => new(ApiFormat.ParseDecimal(r.Total!),
        r.Sharp is null ? null : ApiFormat.ParseDecimal(r.Sharp), r.Peak is null ? null : ApiFormat.ParseDecimal(r.Peak),
        r.Flat is null ? null : ApiFormat.ParseDecimal(r.Flat), r.Valley is null ? null : ApiFormat.ParseDecimal(r.Valley));

    static async Task<IResult> Rejects(ClaimsPrincipal user, Db db, CancellationToken ct, [Range(0, int.MaxValue)] int offset = 0, [Range(1, 500)] int limit = 50)
    {
        // A refused batch may name meters of any site: only users who see every site see the list.
        if (user.IsSiteScoped()) return TypedResults.Ok(Array.Empty<object>());
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, long? MeterId, string PayloadJson, string Reason, long ReceivedAtMs)>(
            db.Dialect.Page("SELECT id, meter_id, payload_json, reason, received_at_ms FROM reading_rejects ORDER BY id DESC", "@offset", "@limit"),
            new { offset, limit = Math.Clamp(limit, 1, 500) });
        return TypedResults.Ok(rows.Select(r => new
        {
            id = r.Id, meterId = r.MeterId, reason = Catalog.Localize(r.Reason), receivedAt = ApiFormat.Instant(DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAtMs)),
            payload = JsonDocument.Parse(r.PayloadJson).RootElement,
        }));
    }

    static async Task<IResult> Resolve(long meterId, bool accept, HeldDecision? decision, ClaimsPrincipal user, Db db, ReadingIngestor ingestor, CancellationToken ct)
    {
        await using (var connection = await db.OpenAsync(ct))
        {
            var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM meters WHERE id = @meterId", new { meterId });
            if (siteId is null || !user.MaySee(siteId.Value)) return Problems.NotFound($"Meter {meterId}");
        }
        var outcomes = await ingestor.ResolveHeldAsync(meterId, accept, decision?.Note, ct);
        return outcomes is null
            ? Problems.Conflict($"Meter {meterId} does not exist or holds no suspect reading.")
            : TypedResults.Ok(new { meterId, accepted = accept, queued = outcomes.Select(o => new { status = o.Status, amount = o.AmountFen is { } f ? ApiFormat.Amount(f) : null, reason = Catalog.LocalizeOrNull(o.Reason) }) });
    }
}
