using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Auth;
using Prepaid.Api.Data;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// An unknown user name costs the same password hash work as a known one, so timing does not tell which users exist.
/// Counted through the guard's hash seam (deterministic), not by the clock.
/// </summary>
public class SignInTimingTests
{
    sealed class CountingGuard(Db db, TimeProvider time, SignInOptions options) : SignInGuard(db, time, options)
    {
        public ConcurrentQueue<string> Hashes { get; } = new();

        protected override bool VerifyHash(string password, string storedHash)
        {
            // The parameters that set the cost: algorithm, iterations, salt and hash sizes; not the secret parts.
            var p = storedHash.Split('$');
            Hashes.Enqueue($"{p[0]}:{p[1]}:{Convert.FromBase64String(p[2]).Length}:{Convert.FromBase64String(p[3]).Length}");
            return base.VerifyHash(password, storedHash);
        }
    }

    static async Task<string> CostOfAsync(WebApplicationFactory<Program> app, CountingGuard guard, string username, string password, HttpStatusCode expected)
    {
        guard.Hashes.Clear();
        var answer = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password });
        Assert.Equal(expected, answer.StatusCode);
        return Assert.Single(guard.Hashes);
    }

    [Fact]
    public async Task SignIn_UnknownOrDisabledUser_RunsTheSameHashWorkAsAKnownOne()
    {
        using var app = new PrepaidApp();
        using var counted = app.WithWebHostBuilder(b => b
            .UseSetting("Prepaid:SignIn:PerUserPerMinute", "10000")
            .ConfigureServices(s => s.AddSingleton<SignInGuard, CountingGuard>()));
        var guard = (CountingGuard)counted.Services.GetRequiredService<SignInGuard>();
        var adminClient = counted.CreateClient();
        var token = (await (await adminClient.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = PrepaidApp.AdminPassword })).ReadJsonAsync()).Str("token");
        adminClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var off = (await adminClient.PostOkAsync("/api/users", new { username = "off", password = "off-pass-123", role = "auditor" })).Id();
        (await adminClient.PutAsJsonAsync($"/api/users/{off}", new { disabled = true })).EnsureSuccessStatusCode();

        var known = await CostOfAsync(counted, guard, "admin", "wrong-password", HttpStatusCode.Unauthorized);
        var right = await CostOfAsync(counted, guard, "admin", PrepaidApp.AdminPassword, HttpStatusCode.OK);
        var unknown = await CostOfAsync(counted, guard, "nobody-by-this-name", "wrong-password", HttpStatusCode.Unauthorized);
        var disabled = await CostOfAsync(counted, guard, "off", "off-pass-123", HttpStatusCode.Unauthorized);

        Assert.StartsWith("pbkdf2:100000:", known);
        Assert.Equal(known, right);
        Assert.Equal(known, unknown);
        Assert.Equal(known, disabled);
    }
}
