using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Notifications;

/// <summary>
/// Plans new events, then sends what is due, one message at a time through its channel, outside any write
/// transaction: a slow or dead gateway holds up no posting. A message inside the tenant's quiet hours (site time) is
/// moved to the window's end (state quiet); a channel without settings is not tried; a failed send is retried with a back-off (1, 2, 4 …
/// up to 60 minutes) until <see cref="NotificationsOptions.MaxAttempts"/>, then marked failed. Nothing is dropped.
/// </summary>
public sealed class NotificationDispatcher(Db db, NotificationOutbox outbox, IEnumerable<INotificationChannel> channels,
    IOptions<NotificationsOptions> options, TimeProvider time, ILogger<NotificationDispatcher> log)
{
    public async Task<(int Planned, int Sent)> RunOnceAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        int planned;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            planned = await NotificationPlanner.PlanAsync(connection, tx, outbox, nowMs);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }

        var byName = channels.ToDictionary(c => c.Name);
        var live = byName.Values.Where(c => c.Configured).Select(c => c.Name).ToList();
        List<Due> due;
        await using (var read = await db.OpenAsync(ct))
            due = [.. await read.QueryAsync<Due>(db.Dialect.Page($"""
                SELECT n.id AS Id, n.tenant_id AS TenantId, n.kind AS Kind, n.channel AS Channel, n.address AS Address, n.params_json AS ParamsJson,
                       n.attempts AS Attempts, sub.quiet_from AS QuietFrom, sub.quiet_to AS QuietTo, s.time_zone AS TimeZone
                FROM notifications n LEFT JOIN notification_subscriptions sub ON sub.tenant_id = n.tenant_id AND sub.channel = n.channel
                LEFT JOIN accounts a ON a.id = n.account_id LEFT JOIN sites s ON s.id = a.site_id
                WHERE n.state IN ('pending', 'quiet') AND n.not_before_ms <= @nowMs AND n.channel IN {db.Dialect.TextsFromJson("@live")}
                ORDER BY n.not_before_ms, n.id
                """, "0", "200"), new { nowMs, live = JsonSerializer.Serialize(live) })];

        var sent = 0;
        foreach (var n in due)
        {
            var release = QuietHours.Release(now, n.QuietFrom, n.QuietTo, ApiFormat.Zone(n.TimeZone ?? "UTC"));
            if (release > now)
            {
                await WriteAsync("UPDATE notifications SET state = 'quiet', not_before_ms = @at WHERE id = @Id", new { at = release.ToUnixTimeMilliseconds(), n.Id }, ct);
                continue;
            }
            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(n.ParamsJson) ?? new();
            var (subject, body) = NotificationKinds.Text(n.Kind, values);
            try
            {
                if (!byName.TryGetValue(n.Channel, out var channel)) throw new InvalidOperationException($"No channel '{n.Channel}'.");
                await channel.SendAsync(new OutgoingMessage(n.Id, n.Kind, n.Address, subject, body, values), ct);
                await WriteAsync("UPDATE notifications SET state = 'sent', attempts = attempts + 1, sent_at_ms = @nowMs, last_error = NULL WHERE id = @Id", new { nowMs, n.Id }, ct);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var attempts = n.Attempts + 1;
                var state = attempts >= options.Value.MaxAttempts ? "failed" : "pending";
                var next = nowMs + (long)Math.Min(60, Math.Pow(2, attempts - 1)) * 60_000;
                var error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                log.LogWarning("Notification {Id} over {Channel} failed (attempt {Attempts}): {Error}", n.Id, n.Channel, attempts, error);
                await WriteAsync("UPDATE notifications SET state = @state, attempts = @attempts, not_before_ms = @next, last_error = @error WHERE id = @Id",
                    new { state, attempts, next, error, n.Id }, ct);
            }
        }
        return (planned, sent);
    }

    async Task WriteAsync(string sql, object args, CancellationToken ct)
    {
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(sql, args);
        }
        finally
        {
            db.WriteGate.Release();
        }
    }

    sealed record Due(long Id, long TenantId, string Kind, string Channel, string Address, string ParamsJson, long Attempts, string? QuietFrom, string? QuietTo, string? TimeZone);
}

/// <summary>Runs the dispatcher every <c>Prepaid:Notifications:IntervalSeconds</c> (15; 0 turns the loop off, as tests do).</summary>
public sealed class NotificationLoop(NotificationDispatcher dispatcher, IConfiguration config, TimeProvider time, ILogger<NotificationLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = config.GetValue($"{NotificationsOptions.Section}:IntervalSeconds", 15);
        if (seconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await dispatcher.RunOnceAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { log.LogError(e, "Notification run failed"); }
        }
    }
}
