using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Prepaid.Bench;

/// <summary>
/// Sign-in against guessing, on the real platform (in-memory server, SQLite file):
/// 1. Wrong passwords for a known and for an unknown user name, alternated, with the limits lifted: the medians should
///    match (the same hash work), so timing does not tell which users exist.
/// 2. A burst of wrong passwords at the default limits: how many were answered 429 and how many were checked.
/// </summary>
public static class SignInBench
{
    const string AdminPassword = "bench-admin-password";

    sealed class BenchApp(string dbPath, bool lifted) : WebApplicationFactory<Prepaid.Api.Auth.SignInGuard>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Prepaid", $"Data Source={dbPath}");
            builder.UseSetting("Prepaid:AdminPassword", AdminPassword);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            if (!lifted) return;
            builder.UseSetting("Prepaid:SignIn:PerAddressPerMinute", "1000000");
            builder.UseSetting("Prepaid:SignIn:PerUserPerMinute", "1000000");
            builder.UseSetting("Prepaid:SignIn:MaxFailures", "1000000");
        }
    }

    public static async Task RunAsync(BenchOptions options)
    {
        var attempts = options.Int("attempts", 200);
        var folder = Directory.CreateTempSubdirectory("prepaid-signin-").FullName;
        Console.WriteLine($"signin: {attempts} wrong passwords per user name, SQLite at {folder}");
        try
        {
            await using (var app = new BenchApp(Path.Combine(folder, "timing.db"), lifted: true))
            {
                using var client = app.CreateClient();
                await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "warm-up" });
                var known = new List<double>();
                var unknown = new List<double>();
                for (var i = 0; i < attempts; i++)
                {
                    known.Add(await TimeAsync(client, "admin"));
                    unknown.Add(await TimeAsync(client, $"nobody-{i}"));
                }
                double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
                Console.WriteLine($"  known user, wrong password:   median {Median(known):0.00} ms");
                Console.WriteLine($"  unknown user:                 median {Median(unknown):0.00} ms (ratio {Median(unknown) / Median(known):0.00})");
            }
            await using (var app = new BenchApp(Path.Combine(folder, "burst.db"), lifted: false))
            {
                using var client = app.CreateClient();
                var watch = Stopwatch.StartNew();
                var statuses = new List<HttpStatusCode>();
                for (var i = 0; i < attempts; i++)
                    statuses.Add((await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = $"guess-{i}" })).StatusCode);
                Console.WriteLine($"  burst of {attempts} at the default limits in {watch.Elapsed.TotalSeconds:0.00} s: " +
                    $"{statuses.Count(s => s == HttpStatusCode.TooManyRequests)} answered 429, {statuses.Count(s => s == HttpStatusCode.Unauthorized)} checked (401)");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    static async Task<double> TimeAsync(HttpClient client, string username)
    {
        var watch = Stopwatch.StartNew();
        var answer = await client.PostAsJsonAsync("/api/auth/token", new { username, password = "wrong-password" });
        if (answer.StatusCode != HttpStatusCode.Unauthorized) throw new InvalidOperationException($"{username}: {(int)answer.StatusCode}");
        return watch.Elapsed.TotalMilliseconds;
    }
}
