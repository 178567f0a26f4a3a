using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;
using CommandEvents = Prepaid.Api.Devices.CommandEvents;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>The hub checks roles and sites too: who may watch which site, and who hears which change.</summary>
public class HubAuthorizationTests(ScopedWorld w) : IClassFixture<ScopedWorld>
{
    HubConnection Connect(string? token) => new HubConnectionBuilder()
        .WithUrl(new Uri(w.App.Server.BaseAddress, "/hubs/dashboard"), o =>
        {
            // The in-memory test server speaks long polling; the browser tests use WebSockets over Kestrel.
            o.HttpMessageHandlerFactory = _ => w.App.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        })
        .Build();

    [Fact]
    public async Task Connect_WithoutToken_IsRefused()
    {
        await using var c = Connect(null);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => c.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Theory]
    [InlineData("admin", true, true)]
    [InlineData("operator", true, false)]
    [InlineData("cashier", true, false)]
    [InlineData("auditor", true, true)]
    [InlineData("tenant", false, false)]
    public async Task WatchSite_FollowsTheUsersScope(string role, bool siteA, bool siteB)
    {
        await using var c = Connect(w.Token(role));
        await c.StartAsync();
        async Task<bool> Watch(long site)
        {
            try { await c.InvokeAsync("WatchSite", site); return true; }
            catch (HubException) { return false; }
        }
        Assert.Equal(siteA, await Watch(w.SiteA));
        Assert.Equal(siteB, await Watch(w.SiteB));
    }

    [Fact]
    public async Task Changes_ReachOnlyThoseWhoMaySeeThem()
    {
        var operatorRows = new ConcurrentBag<JsonElement>();
        var adminRows = new ConcurrentBag<JsonElement>();
        var tenantAccounts = new ConcurrentBag<JsonElement>();
        await using var op = Connect(w.Token("operator"));
        await using var admin = Connect(w.Token("admin"));
        await using var tenant = Connect(w.Token("tenant"));
        op.On<JsonElement[]>("MeterChanged", rows => { foreach (var r in rows) operatorRows.Add(r); });
        op.On<JsonElement[]>("AccountChanged", rows => { foreach (var r in rows) operatorRows.Add(r); });
        admin.On<JsonElement[]>("MeterChanged", rows => { foreach (var r in rows) adminRows.Add(r); });
        tenant.On<JsonElement[]>("AccountChanged", rows => { foreach (var r in rows) tenantAccounts.Add(r); });
        await Task.WhenAll(op.StartAsync(), admin.StartAsync(), tenant.StartAsync());
        await op.InvokeAsync("WatchSite", w.SiteA);
        await admin.InvokeAsync("WatchSite", w.SiteB);

        var readings = await w.Client("admin").PostAsJsonAsync("/api/readings", new object[]
        {
            new { meterId = w.MeterA1, at = "2026-11-02T09:00:00+08:00", registers = new { total = "102" } },
            new { meterId = w.MeterB1, at = "2026-11-02T09:00:00+08:00", registers = new { total = "103" } },
        });
        readings.EnsureSuccessStatusCode();

        await Eventually(() => operatorRows.Any(r => r.TryGetProperty("meterId", out var m) && m.GetInt64() == w.MeterA1)
                               && adminRows.Any(r => r.GetProperty("meterId").GetInt64() == w.MeterB1)
                               && tenantAccounts.Any(a => a.GetProperty("accountId").GetInt64() == w.AccountA));
        await Task.Delay(500); // anything that would leak has had its chance to arrive
        Assert.All(operatorRows, r => Assert.Equal(w.SiteA, r.GetProperty("siteId").GetInt64()));
        Assert.All(tenantAccounts, a => Assert.Equal(w.AccountA, a.GetProperty("accountId").GetInt64()));
        var row = operatorRows.Last(r => r.TryGetProperty("meterId", out var m) && m.GetInt64() == w.MeterA1);
        Assert.Equal("102", row.GetProperty("lastTotal").GetString());
    }

    [Fact]
    public async Task DevicePublisher_RoutesCommandsBatchesAndAlarms_ToTheSiteOnly()
    {
        var operatorEvents = new ConcurrentBag<string>();
        var auditorEvents = new ConcurrentBag<string>();
        await using var op = Connect(w.Token("operator"));
        await using var auditor = Connect(w.Token("auditor"));
        op.On<JsonElement>("CommandChanged", e => operatorEvents.Add("command:" + e.GetProperty("commandId").GetString()));
        op.On<JsonElement>("BatchProgress", e => operatorEvents.Add("batch:" + e.GetProperty("counts").GetProperty("confirmed").GetInt32()));
        op.On<JsonElement>("Alarm", e => operatorEvents.Add("alarm:" + e.GetProperty("kind").GetString()));
        auditor.On<JsonElement>("Alarm", e => auditorEvents.Add("alarm:" + e.GetProperty("kind").GetString()));
        auditor.On<JsonElement>("CommandChanged", e => auditorEvents.Add("command:" + e.GetProperty("commandId").GetString()));
        await Task.WhenAll(op.StartAsync(), auditor.StartAsync());
        await op.InvokeAsync("WatchSite", w.SiteA);
        await auditor.InvokeAsync("WatchSite", w.SiteB);

        var publisher = w.App.Services.GetRequiredService<IDashboardPublisher>();
        // Command states go out from command_events, whichever process wrote them.
        var at = DateTimeOffset.Parse("2026-11-02T09:00:00+08:00");
        await using (var c = await w.App.Services.GetRequiredService<Db>().OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await CommandEvents.WriteAsync(c, tx, w.App.Services.GetRequiredService<Db>().Dialect, [new Prepaid.Api.Devices.CommandChange(1, w.MeterA1, "trip", "confirmed", null, null, 1, at),
                new Prepaid.Api.Devices.CommandChange(2, w.MeterB1, "trip", "failed", null, "No answer.", null, at)]);
            await tx.CommitAsync();
        }
        publisher.BatchProgress([w.SiteA], new BatchProgress("b-1", "trip", 1, new Dictionary<string, int> { ["confirmed"] = 1 }, true,
            [new BatchOutcome(w.MeterA1, "confirmed", null)]));
        publisher.Alarm(new AlarmEvent("tamper", w.SiteB, null, w.MeterB1, "Cover opened", "2026-11-02T09:00:00+08:00"));

        await Eventually(() => operatorEvents.Count >= 2 && auditorEvents.Count >= 2);
        await Task.Delay(300);
        Assert.Equal(["batch:1", "command:1"], operatorEvents.Order().ToArray());
        Assert.Equal(["alarm:tamper", "command:2"], auditorEvents.Order().ToArray());
    }

    static async Task Eventually(Func<bool> condition, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("The expected hub events did not arrive in time.");
            await Task.Delay(50);
        }
    }
}
