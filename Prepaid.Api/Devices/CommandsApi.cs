using Prepaid.Api.Localization;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Devices;

/// <summary>Operators' commands to one meter or a batch, and their progress. All go through the durable queue.</summary>
public static class CommandsApi
{
    public static void MapCommands(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/meters/{meterId:long}/commands", Create).WithTags("Devices")
            .Validate<CreateCommandRequest, CreateCommandValidator>().RequireAuthorization(Roles.Manage);
        app.MapGet("/api/meters/{meterId:long}/commands", ListForMeter).WithTags("Devices").RequireAuthorization(Roles.Staff).CheckParameters();
        app.MapGet("/api/commands/{commandId:long}", Get).WithTags("Devices").RequireAuthorization(Roles.Staff);
        app.MapPost("/api/batches", CreateBatch).WithTags("Devices")
            .Validate<CreateBatchRequest, CreateBatchValidator>().RequireAuthorization(Roles.Manage);
        app.MapGet("/api/batches/{batchId:long}", GetBatch).WithTags("Devices").RequireAuthorization(Roles.Staff);
    }

    static async Task<IResult> Create(long meterId, CreateCommandRequest r, Db db, CommandQueue queue, DispatcherSignal signal,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        await using (var connection = await db.OpenAsync(ct))
            if (await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM meters WHERE id = @meterId", new { meterId }) is not { } site || !user.MaySee(site))
                return Problems.NotFound($"Meter {meterId}");
        var payload = r.Payload is { ValueKind: not System.Text.Json.JsonValueKind.Null } p ? p.GetRawText() : null;
        var e = (await queue.EnqueueAsync([meterId], r.Kind!, payload, "operator", null, user.Id(), ct)).Single();
        signal.Wake();
        return TypedResults.Created($"/api/commands/{e.CommandId}", new { commandId = e.CommandId, state = e.State, error = e.Error });
    }

    static async Task<IResult> CreateBatch(CreateBatchRequest r, Db db, CommandQueue queue, DispatcherSignal signal, TimeProvider time,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var ids = r.MeterIds!.Distinct().ToArray();
        long? siteId;
        await using (var connection = await db.OpenAsync(ct))
        {
            var known = (await connection.QueryAsync<(long Id, long SiteId)>(
                $"SELECT id, site_id FROM meters WHERE id IN {db.Dialect.IdsFromJson("@ids")}", new { ids = System.Text.Json.JsonSerializer.Serialize(ids) })).ToList();
            // A meter outside the operator's sites is as unknown as one that does not exist.
            known = known.Where(k => user.MaySee(k.SiteId)).ToList();
            var missing = ids.Select((id, i) => (id, i)).Where(x => known.All(k => k.Id != x.id)).ToList();
            if (missing.Count > 0)
                return Problems.Fields(missing.ToDictionary(m => $"meterIds[{Array.IndexOf(r.MeterIds!, m.id)}]", m => new[] { $"Meter {m.id} does not exist." }));
            siteId = known.Select(k => k.SiteId).Distinct().Count() == 1 ? known[0].SiteId : null;
            var payload = r.Command!.Payload is { ValueKind: not System.Text.Json.JsonValueKind.Null } p ? p.GetRawText() : null;
            // Pre-flight: a batch goes out whole or not at all, so the operator learns before sending which meters cannot take it.
            var refused = await queue.CheckAsync(ids, r.Command.Kind!, payload, ct);
            if (refused.Count > 0)
                return Problems.Fields(refused.ToDictionary(x => $"meterIds[{Array.IndexOf(r.MeterIds!, x.MeterId)}]",
                    x => new[] { x.Profile is null ? $"Meter {x.MeterId} cannot take {r.Command.Kind}: {x.Reason}" : $"Meter {x.MeterId} ({x.Profile}) cannot take {r.Command.Kind}: {x.Reason}" }),
                    StatusCodes.Status422UnprocessableEntity, $"{refused.Count} of {ids.Length} meters cannot take this command; nothing was sent.");
            var batchId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("command_batches",
                "site_id, kind, meter_count, user_id, created_at_ms", "@siteId, @kind, @count, @userId, @nowMs"),
                new { siteId, kind = r.Command.Kind, count = ids.Length, userId = user.Id(), nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
            await queue.EnqueueAsync(ids, r.Command.Kind!, payload, "batch", batchId, user.Id(), ct);
            signal.Wake();
            return TypedResults.Created($"/api/batches/{batchId}", new { batchId });
        }
    }

    sealed record CommandRow(long Id, long MeterId, string Kind, string Source, long? BatchId, string State, string? Detail, long Attempts,
        long NextAttemptAtMs, long ExpiresAtMs, string? Error, long CreatedAtMs, long UpdatedAtMs);

    const string SelectCommand = """
        SELECT id, meter_id, kind, source, batch_id, state, detail, attempts, next_attempt_at_ms, expires_at_ms, error, created_at_ms, updated_at_ms
        FROM device_commands
        """;

    // Outcomes are stored in English and rendered in the caller's language; instants in the meter's site zone.
    /// <summary>A command as shown; one still open (requested or sent, e.g. cached for an NB-IoT meter that has not woken)
    /// also says how long it has waited since it was asked for and how long it has left before it expires.</summary>
    static object Shape(CommandRow c, TimeZoneInfo zone, long nowMs) => new
    {
        commandId = c.Id, meterId = c.MeterId, kind = c.Kind, source = c.Source, batchId = c.BatchId, state = c.State, detail = Catalog.LocalizeOrNull(c.Detail),
        attempts = c.Attempts, error = Catalog.LocalizeOrNull(c.Error), createdAt = ApiFormat.Instant(c.CreatedAtMs, zone),
        updatedAt = ApiFormat.Instant(c.UpdatedAtMs, zone), expiresAt = ApiFormat.Instant(c.ExpiresAtMs, zone),
        nextAttemptAt = c.State is "requested" or "sent" ? ApiFormat.Instant(c.NextAttemptAtMs, zone) : null,
        waitedSeconds = c.State is "requested" or "sent" ? Math.Max(0, (nowMs - c.CreatedAtMs) / 1000) : (long?)null,
        expiresInSeconds = c.State is "requested" or "sent" ? Math.Max(0, (c.ExpiresAtMs - nowMs) / 1000) : (long?)null,
    };

    const string MeterZone = "SELECT s.time_zone FROM meters m JOIN sites s ON s.id = m.site_id WHERE m.id = @meterId";

    static async Task<IResult> Get(long commandId, Db db, TimeProvider time, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var c = await connection.QuerySingleOrDefaultAsync<CommandRow>(SelectCommand + " WHERE id = @commandId", new { commandId });
        if (c is null || await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM meters WHERE id = @MeterId", new { c.MeterId }) is not { } site
            || !user.MaySee(site))
            return Problems.NotFound($"Command {commandId}");
        var zone = ApiFormat.Zone(await connection.ExecuteScalarAsync<string>(MeterZone, new { meterId = c.MeterId }) ?? "UTC");
        return TypedResults.Ok(Shape(c, zone, time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    static async Task<IResult> ListForMeter(long meterId, Db db, TimeProvider time, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct,
        [System.ComponentModel.DataAnnotations.Range(1, 500)] int limit = 50)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM meters WHERE id = @meterId", new { meterId }) is not { } site || !user.MaySee(site))
            return Problems.NotFound($"Meter {meterId}");
        var rows = await connection.QueryAsync<CommandRow>(db.Dialect.Page(SelectCommand + " WHERE meter_id = @meterId ORDER BY id DESC", "0", "@limit"),
            new { meterId, limit = Math.Clamp(limit, 1, 500) });
        var zone = ApiFormat.Zone(await connection.ExecuteScalarAsync<string>(MeterZone, new { meterId }) ?? "UTC");
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return TypedResults.Ok(rows.Select(r => Shape(r, zone, nowMs)));
    }

    static async Task<IResult> GetBatch(long batchId, Db db, TimeProvider time, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var batch = await connection.QuerySingleOrDefaultAsync<(string Kind, long MeterCount, long CreatedAtMs, long? SiteId)?>(
            "SELECT kind, meter_count, created_at_ms, site_id FROM command_batches WHERE id = @batchId", new { batchId });
        if (batch is null || (user.Sites() is not null && (batch.Value.SiteId is not { } site || !user.MaySee(site)))) return Problems.NotFound($"Batch {batchId}");
        var rows = (await connection.QueryAsync<CommandRow>(SelectCommand + " WHERE batch_id = @batchId ORDER BY meter_id", new { batchId })).ToList();
        var progress = await CommandStateWriter.BatchProgressAsync(db, batchId, time.GetUtcNow(), ct);
        var zoneId = batch.Value.SiteId is { } siteId
            ? await connection.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId })
            : rows.Count > 0 ? await connection.ExecuteScalarAsync<string>(MeterZone, new { meterId = rows[0].MeterId }) : null;
        return TypedResults.Ok(new
        {
            batchId, kind = batch.Value.Kind, total = batch.Value.MeterCount, counts = progress.ByState,
            done = rows.All(r => r.State is "confirmed" or "failed" or "expired"),
            createdAt = ApiFormat.Instant(batch.Value.CreatedAtMs, ApiFormat.Zone(zoneId ?? "UTC")),
            meters = rows.Select(r => new { meterId = r.MeterId, commandId = r.Id, state = r.State, detail = Catalog.LocalizeOrNull(r.Detail),
                error = Catalog.LocalizeOrNull(r.Error), attempts = r.Attempts }),
            // The same per-meter outcomes under the name the hub's batchProgress uses, so a client can read either.
            outcomes = rows.Select(r => new { meterId = r.MeterId, state = r.State, error = Catalog.LocalizeOrNull(r.Error ?? r.Detail) }),
        });
    }
}
