using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prepaid.Api.Data;
using Prepaid.Api.Notifications;
using Prepaid.Fakes.Notifications;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Cluster;

/// <summary>
/// Two nodes' dispatchers on one PostgreSQL database, each with its own connection pool and write gate, run at the
/// same instant over the same due messages: each message reaches the SMTP server once, whichever dispatcher claimed it.
/// </summary>
public class NotificationsOnceAcrossNodesPostgresTests
{
    const int Messages = 40;

    static NotificationDispatcher Dispatcher(string connectionString, int smtpPort) =>
        new(Db.Create("postgres", connectionString, AppContext.BaseDirectory), new NotificationOutbox(),
            [new EmailChannel(Options.Create(new NotificationsOptions { Email = new EmailOptions { Host = "127.0.0.1", Port = smtpPort, Security = "none" } }))],
            Options.Create(new NotificationsOptions()), TimeProvider.System, NullLogger<NotificationDispatcher>.Instance);

    [Fact]
    public async Task Postgres_TwoDispatchersOnOneDatabase_EachNotificationSentOnce()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var smtp = new LoopbackSmtpServer();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var c = await database.Db.OpenAsync())
        {
            var tenant = await c.ExecuteScalarAsync<long>(
                "INSERT INTO tenants (name, phone, created_at_ms) VALUES ('Noodles', '13800000077', @nowMs) RETURNING id", new { nowMs });
            for (var i = 0; i < Messages; i++)
                await c.ExecuteAsync("""
                    INSERT INTO notifications (tenant_id, account_id, kind, channel, address, dedup_key, params_json, state, attempts, not_before_ms, created_at_ms)
                    VALUES (@tenant, NULL, 'statementReady', 'email', @address, @key, '{"account":"1","period":"2026"}', 'pending', 0, @nowMs, @nowMs)
                    """, new { tenant, address = $"tenant-{i}@shop.example", key = $"statement:{i}:2026", nowMs });
        }

        var a = Dispatcher(database.ConnectionString, smtp.Port);
        var b = Dispatcher(database.ConnectionString, smtp.Port);
        // Both read the same due rows at once; then a few more rounds, as the next intervals would run.
        var first = await Task.WhenAll(a.RunOnceAsync(), b.RunOnceAsync());
        for (var round = 0; round < 3; round++) await Task.WhenAll(a.RunOnceAsync(), b.RunOnceAsync());

        var received = smtp.Received.Select(m => m.Message.Headers["X-Prepaid-Notification"]).ToList();
        var twice = received.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(twice.Count == 0, $"sent more than once: {string.Join(", ", twice)}");
        Assert.Equal(Messages, received.Distinct().Count());
        Assert.Equal(Messages, first[0].Sent + first[1].Sent);
        await using (var c = await database.Db.OpenAsync())
        {
            var states = (await c.QueryAsync<(string State, long Attempts, long N)>(
                "SELECT state, attempts, COUNT(*) AS n FROM notifications GROUP BY state, attempts")).ToList();
            Assert.Equal([("sent", 1L, (long)Messages)], states);
        }
    }
}
