using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// A live hub connection ends with the session it was opened with: a site, role, password or disable change of the
/// user, or a logout of that token, closes it at once, and nothing more of the site reaches it.
/// </summary>
public class HubSessionTests
{
    sealed class Listener : IAsyncDisposable
    {
        public HubConnection Connection { get; }
        public ConcurrentQueue<long> MetersSeen { get; } = new();
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Listener(ScopedWorld w, string token)
        {
            Connection = new HubConnectionBuilder()
                .WithUrl(new Uri(w.App.Server.BaseAddress, "/hubs/dashboard"), o =>
                {
                    o.HttpMessageHandlerFactory = _ => w.App.Server.CreateHandler();
                    o.Transports = HttpTransportType.LongPolling;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .Build();
            Connection.On<JsonElement[]>("MeterChanged", rows => { foreach (var r in rows) MetersSeen.Enqueue(r.GetProperty("meterId").GetInt64()); });
            Connection.Closed += _ => { Closed.TrySetResult(); return Task.CompletedTask; };
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    static async Task<ScopedWorld> WorldAsync()
    {
        var w = new ScopedWorld();
        await w.InitializeAsync();
        return w;
    }

    static async Task<string> TokenAsync(ScopedWorld w, string username) =>
        (await (await w.App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password = ScopedWorld.Password })).ReadJsonAsync()).Str("token");

    static async Task ReadingAsync(ScopedWorld w, string at, string total) =>
        (await w.Client("admin").PostAsJsonAsync("/api/readings", new object[] { new { meterId = w.MeterA1, at, registers = new { total } } })).EnsureSuccessStatusCode();

    static async Task<Listener> WatchingSiteAAsync(ScopedWorld w, string token, string at, string total)
    {
        var l = new Listener(w, token);
        await l.Connection.StartAsync();
        await l.Connection.InvokeAsync("WatchSite", w.SiteA);
        await ReadingAsync(w, at, total);
        await Eventually(() => l.MetersSeen.Contains(w.MeterA1), "the site's event before the change");
        return l;
    }

    static async Task AssertClosedAndDeafAsync(ScopedWorld w, Listener l, string at, string total)
    {
        var closed = await Task.WhenAny(l.Closed.Task, Task.Delay(5_000));
        Assert.True(closed == l.Closed.Task, "the hub connection was not closed");
        var seen = l.MetersSeen.Count;
        await ReadingAsync(w, at, total);
        await Task.Delay(500); // an event that would leak has had its chance to arrive
        Assert.Equal(seen, l.MetersSeen.Count);
    }

    static async Task<HttpStatusCode> MeAsync(ScopedWorld w, string token)
    {
        using var client = w.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/api/me")).StatusCode;
    }

    [Theory]
    [InlineData("sitesEndpoint")]
    [InlineData("sites")]
    [InlineData("role")]
    [InlineData("disable")]
    [InlineData("reset")]
    public async Task AdminChange_ClosesTheUsersHubConnection_AndNoFurtherEventOfTheSiteArrives(string change)
    {
        await using var w = await WorldAsync();
        await using var l = await WatchingSiteAAsync(w, w.Token("operator"), "2026-11-02T09:00:00+08:00", "101");

        var admin = w.Client("admin");
        var answer = change switch
        {
            "sitesEndpoint" => await admin.PutAsJsonAsync($"/api/users/{w.OperatorUserId}/sites", new { siteIds = new[] { w.SiteB } }),
            "sites" => await admin.PutAsJsonAsync($"/api/users/{w.OperatorUserId}", new { siteIds = new[] { w.SiteB } }),
            "role" => await admin.PutAsJsonAsync($"/api/users/{w.OperatorUserId}", new { role = "cashier" }),
            "disable" => await admin.PutAsJsonAsync($"/api/users/{w.OperatorUserId}", new { disabled = true }),
            _ => await admin.PostAsync($"/api/users/{w.OperatorUserId}/password-reset", null),
        };
        Assert.True(answer.IsSuccessStatusCode, $"{change}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");

        await AssertClosedAndDeafAsync(w, l, "2026-11-02T10:00:00+08:00", "102");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(w, w.Token("operator")));
    }

    [Fact]
    public async Task Logout_ClosesTheHubConnectionsOfThatToken_NotOfOtherSessions()
    {
        await using var w = await WorldAsync();
        var other = await TokenAsync(w, "op-a");
        await using var leaving = await WatchingSiteAAsync(w, w.Token("operator"), "2026-11-02T09:00:00+08:00", "101");
        await using var staying = await WatchingSiteAAsync(w, other, "2026-11-02T09:30:00+08:00", "101.5");

        Assert.Equal(HttpStatusCode.NoContent, (await w.Client("operator").PostAsync("/api/auth/logout", null)).StatusCode);

        await AssertClosedAndDeafAsync(w, leaving, "2026-11-02T10:00:00+08:00", "102");
        var before = staying.MetersSeen.Count;
        await ReadingAsync(w, "2026-11-02T11:00:00+08:00", "103");
        await Eventually(() => staying.MetersSeen.Count > before, "the other session's events after the logout");
        Assert.False(staying.Closed.Task.IsCompleted);
    }

    [Fact]
    public async Task ChangeOwnPassword_ClosesTheOtherSessionsHubConnections_KeepsThisOnes()
    {
        await using var w = await WorldAsync();
        var other = await TokenAsync(w, "op-a");
        await using var here = await WatchingSiteAAsync(w, w.Token("operator"), "2026-11-02T09:00:00+08:00", "101");
        await using var elsewhere = await WatchingSiteAAsync(w, other, "2026-11-02T09:30:00+08:00", "101.5");

        var answer = await w.Client("operator").PutAsJsonAsync("/api/users/me/password",
            new { currentPassword = ScopedWorld.Password, newPassword = "another-pass-456" });
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);

        await AssertClosedAndDeafAsync(w, elsewhere, "2026-11-02T10:00:00+08:00", "102");
        var before = here.MetersSeen.Count;
        await ReadingAsync(w, "2026-11-02T11:00:00+08:00", "103");
        await Eventually(() => here.MetersSeen.Count > before, "this session's events after its own password change");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(w, other));
    }

    [Fact]
    public async Task TokenExpiry_ClosesTheHubConnectionOpenedWithIt()
    {
        await using var w = await WorldAsync();
        await using var l = await WatchingSiteAAsync(w, w.Token("operator"), "2026-11-02T09:00:00+08:00", "101");
        w.App.Time.Advance(TimeSpan.FromHours(11));
        await Task.Delay(300);
        Assert.False(l.Closed.Task.IsCompleted, "closed before the token expired");

        w.App.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        var closed = await Task.WhenAny(l.Closed.Task, Task.Delay(5_000));
        Assert.True(closed == l.Closed.Task, "the hub connection outlived its token");
    }

    static async Task Eventually(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
