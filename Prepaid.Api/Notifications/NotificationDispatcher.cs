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
/// Each message is claimed before it is sent (<see cref="ClaimAsync"/>), so two dispatchers on one database (two nodes,
/// or a stalled run overtaken by the next) never both send it.
/// </summary>
public sealed class NotificationDispatcher(Db db, NotificationOutbox outbox, IEnumerable<INotificationChannel> channels,
    IOptions<NotificationsOptions> options, TimeProvider time, ILogger<NotificationDispatcher> log)
{
    /// <summary>How long a claim keeps a message from every other sender. A send is cut off well before it (a channel
    /// that hangs must not outlive its claim); a claim that lapses, its sender dead, counts as a failed attempt.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(10), SendTimeout = TimeSpan.FromMinutes(2);

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
                       n.attempts AS Attempts, n.state AS State, sub.quiet_from AS QuietFrom, sub.quiet_to AS QuietTo, s.time_zone AS TimeZone
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
                await WriteAsync("UPDATE notifications SET state = 'quiet', not_before_ms = @at WHERE id = @Id AND attempts = @Attempts AND state IN ('pending', 'quiet')",
                    new { at = release.ToUnixTimeMilliseconds(), n.Id, n.Attempts }, ct);
                continue;
            }
            if (!await ClaimAsync(n, nowMs, ct)) continue; // another sender has it
            var attempts = n.Attempts + 1;
            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(n.ParamsJson) ?? new();
            var (subject, body) = NotificationKinds.Text(n.Kind, values);
            try
            {
                if (!byName.TryGetValue(n.Channel, out var channel)) throw new InvalidOperationException($"No channel '{n.Channel}'.");
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(SendTimeout);
                await channel.SendAsync(new OutgoingMessage(n.Id, n.Kind, n.Address, subject, body, values), timeout.Token);
                await WriteAsync("UPDATE notifications SET state = 'sent', sent_at_ms = @nowMs, last_error = NULL WHERE id = @Id AND attempts = @attempts",
                    new { nowMs, n.Id, attempts }, ct);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var state = attempts >= options.Value.MaxAttempts ? "failed" : "pending";
                var next = nowMs + (long)Math.Min(60, Math.Pow(2, attempts - 1)) * 60_000;
                var error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                log.LogWarning("Notification {Id} over {Channel} failed (attempt {Attempts}): {Error}", n.Id, n.Channel, attempts, error);
                await WriteAsync("UPDATE notifications SET state = @state, not_before_ms = @next, last_error = @error WHERE id = @Id AND attempts = @attempts",
                    new { state, attempts, next, error, n.Id }, ct);
            }
        }
        return (planned, sent);
    }

    /// <summary>
    /// Takes the message for this run: from the state and attempt count it was read with, still due, it becomes one
    /// attempt further on and not due again until the claim lapses. Of two dispatchers that read the same row, one
    /// update matches it; the other finds it changed and leaves it.
    /// </summary>
    async Task<bool> ClaimAsync(Due n, long nowMs, CancellationToken ct)
    {
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            return await connection.ExecuteAsync("""
                UPDATE notifications SET attempts = attempts + 1, state = 'pending', not_before_ms = @until
                WHERE id = @Id AND attempts = @Attempts AND state = @State AND not_before_ms <= @nowMs
                """, new { n.Id, n.Attempts, n.State, nowMs, until = nowMs + (long)ClaimFor.TotalMilliseconds }) == 1;
        }
        finally
        {
            db.WriteGate.Release();
        }
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

    sealed record Due(long Id, long TenantId, string Kind, string Channel, string Address, string ParamsJson, long Attempts, string State, string? QuietFrom, string? QuietTo, string? TimeZone);
}
