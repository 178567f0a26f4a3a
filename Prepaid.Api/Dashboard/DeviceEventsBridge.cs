using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// Carries the device layer's events to the dashboard: batch progress (with per-meter outcomes), device alarms, and the
/// grid rows of meters whose relay, valve or online state changed. Command states go out from the database instead
/// (<see cref="CommandEventFollower"/>), so that a node dying after its commit loses none. Events come from the
/// dispatcher's thread, so the lookups they need run off it and never hold the dispatcher up.
/// </summary>
public sealed class DeviceEventsBridge(DeviceEventBus bus, IDashboardPublisher dashboard, Db db, ILogger<DeviceEventsBridge> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        bus.CommandChanged += OnCommand;
        bus.BatchProgressed += b => Run(() => OnBatchAsync(b));
        bus.AlarmChanged += a => Run(() => OnAlarmAsync(a));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    void Run(Func<Task> work) => _ = Task.Run(async () =>
    {
        try { await work(); }
        catch (Exception e) { log.LogWarning(e, "A device event could not be pushed to the dashboard."); }
    });

    async Task<long> SiteOfAsync(long meterId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT site_id FROM meters WHERE id = @meterId", new { meterId });
    }

    // The command event itself comes from command_events (CommandEventFollower); a confirmed switch changes the relay the grid shows.
    void OnCommand(Devices.CommandChange c)
    {
        if (c.State is "confirmed" or "failed") dashboard.MetersChanged([c.MeterId]);
    }

    async Task OnBatchAsync(Devices.BatchProgress b)
    {
        await using var connection = await db.OpenAsync();
        var kind = await connection.ExecuteScalarAsync<string>("SELECT kind FROM command_batches WHERE id = @BatchId", new { b.BatchId }) ?? "";
        var rows = (await connection.QueryAsync<(long MeterId, long SiteId, string State, string? Error)>("""
            SELECT c.meter_id, m.site_id, c.state, COALESCE(c.error, c.detail) FROM device_commands c JOIN meters m ON m.id = c.meter_id
            WHERE c.batch_id = @BatchId ORDER BY c.meter_id
            """, new { b.BatchId })).ToList();
        var done = rows.All(r => r.State is "confirmed" or "failed" or "expired");
        dashboard.BatchProgress(rows.Select(r => r.SiteId).Distinct().ToList(), new BatchProgress(b.BatchId.ToString(), kind, b.Total, b.ByState, done,
            rows.Select(r => new BatchOutcome(r.MeterId, r.State, r.Error)).ToList()));
    }

    async Task OnAlarmAsync(DeviceAlarmChange a)
    {
        dashboard.MetersChanged([a.MeterId]);
        if (!a.Raised) return;
        await using var connection = await db.OpenAsync();
        // The meter's current account, so a "trip failed" alarm links to the tenant it is about.
        var accountId = await connection.ExecuteScalarAsync<long?>(
            "SELECT account_id FROM account_meters WHERE meter_id = @MeterId AND closed_at_ms IS NULL", new { a.MeterId });
        dashboard.Alarm(new AlarmEvent(a.Kind, await SiteOfAsync(a.MeterId), accountId, a.MeterId, a.Detail, ApiFormat.Instant(a.At)));
    }
}
