using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Prepaid.Tests.Support;

/// <summary>
/// A site for tenancy tests, built through the API: a flat tariff of 1.2000 and a time-of-use one, with the charges job
/// left to the test (it runs the charges by calling POST /api/charges/run at the instants it chooses).
/// </summary>
public sealed class TenancySite : IDisposable
{
    public required PrepaidApp App { get; init; }
    public required HttpClient Admin { get; init; }
    public required SiteBuilder Site { get; init; }
    public required long Flat { get; init; }
    public required long Tou { get; init; }

    public static async Task<TenancySite> CreateAsync(DateTimeOffset? now = null)
    {
        var app = new PrepaidApp(start: now);
        app.Settings["Prepaid:Charges:Background"] = "false";
        app.Settings["Prepaid:Devices:Background"] = "false";
        // The clock jumps by days here, and a token lives 12 hours: the tests sign in again, more often than people do.
        app.Settings["Prepaid:SignIn:PerUserPerMinute"] = "100000";
        app.Settings["Prepaid:SignIn:PerAddressPerMinute"] = "100000";
        var admin = await app.AdminAsync();
        var signedInAt = app.Time.GetUtcNow();
        var site = await new SiteBuilder(admin).SiteAsync();
        var flat = await site.FlatTariffAsync("1.2000");
        var tou = (await admin.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "TOU", utility = "electricity", catalogPrice = (string?)null,
            versions = new[]
            {
                new
                {
                    effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tou",
                    prices = new { sharp = "1.1012", peak = "0.9863", flat = "0.6853", valley = "0.3211" },
                    segments = new[]
                    {
                        new { from = "00:00", to = "08:00", period = "valley" }, new { from = "08:00", to = "10:00", period = "flat" },
                        new { from = "10:00", to = "12:00", period = "sharp" }, new { from = "12:00", to = "18:00", period = "peak" },
                        new { from = "18:00", to = "00:00", period = "flat" },
                    },
                },
            },
        })).Id();
        return new TenancySite { App = app, Admin = admin, Site = site, Flat = flat, Tou = tou, signedInAt = signedInAt };
    }

    public async Task<long> AccountAsync(long meterId, long tariffId, string total, string at, string name = "Shop", string phone = "13800000001",
        long? roomId = null)
    {
        var tenant = await Site.TenantAsync(name, null, phone);
        return (await Admin.PostOkAsync("/api/accounts", new
        {
            tenantId = tenant, roomId, alarm1 = "20.00", alarm2 = "10.00",
            meters = new[] { new { meterId, tariffId, openingReading = new { at, registers = new { total } } } },
        })).Id();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, string? key = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await Admin.SendAsync(request);
    }

    public async Task<JsonElement> OkAsync(HttpMethod method, string url, object? body = null, string? key = null,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, url, body, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public Task<JsonElement> CloseAsync(long accountId, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        OkAsync(HttpMethod.Post, $"/api/accounts/{accountId}/close", body, expected: expected);

    public Task<JsonElement> ReadingAsync(long meterId, string at, string total) =>
        Site.ReadingsAsync(new { meterId, at, registers = new { total } });

    /// <summary>Moves the fake clock to an instant (never back), signing in again: a token lives 12 hours.</summary>
    public async Task AtAsync(string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        if (at > App.Time.GetUtcNow()) App.Time.SetUtcNow(at);
        await RefreshAsync();
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        App.Time.Advance(by);
        await RefreshAsync();
    }

    DateTimeOffset signedInAt;

    async Task RefreshAsync()
    {
        if (App.Time.GetUtcNow() - signedInAt < TimeSpan.FromHours(10)) return;
        signedInAt = App.Time.GetUtcNow();
        using var anonymous = App.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = PrepaidApp.AdminPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        Admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The wallet's postings of the given kinds, in fen (debits negative), as the ledger view shows them.</summary>
    public async Task<long> SumAsync(long accountId, params string[] kinds)
    {
        var ledger = (await Admin.GetOkAsync($"/api/accounts/{accountId}/ledger?limit=500")).EnumerateArray();
        return ledger.Where(p => kinds.Contains(p.Str("kind"))).Sum(p => Fen(p.Str("amount")));
    }

    public async Task<long> BalanceFenAsync(long accountId) => Fen(await Site.BalanceAsync(accountId));

    public static long Fen(string amount) => (long)(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) * 100m);

    public async Task AssertLedgerHoldsAsync()
    {
        var check = await Admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.GetRawText());
    }

    public SqliteConnection Sql() => new($"Data Source={App.DatabasePath}");

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = Sql();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    public void Dispose()
    {
        Admin.Dispose();
        App.Dispose();
    }
}
