using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Auth;

/// <summary>
/// On the first start there is no user: create `admin` with the configured password, or a random one that is
/// shown once (it is not stored anywhere in clear). The random password is printed after the host has started,
/// below its own start-up lines, so it is the last thing on the screen rather than scrolled away.
/// </summary>
public static class AdminSeeder
{
    /// <summary>Creates the first admin if there is no user; the random password to show, or null.</summary>
    public static async Task<string?> EnsureAdminAsync(Db db, IConfiguration config, TimeProvider time, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users") > 0) return null;
        var configured = config["Prepaid:AdminPassword"];
        var password = string.IsNullOrEmpty(configured) ? Passwords.NewSecret(12) : configured;
        await connection.ExecuteAsync(
            "INSERT INTO users (username, password_hash, role, created_at_ms) VALUES ('admin', @hash, 'admin', @nowMs)",
            new { hash = Passwords.Hash(password), nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return string.IsNullOrEmpty(configured) ? password : null;
    }

    /// <summary>The framed notice of the first admin's password, with how to change it.</summary>
    public static string Banner(string password, string? url)
    {
        string[] lines =
        [
            "First start: the platform created the user 'admin'.",
            "",
            $"    user name:  admin",
            $"    password:   {password}",
            "",
            "It is shown only this once and stored only as a hash. Sign in" + (url is null ? "" : $" at {url}") + " and change it:",
            "PUT /api/users/me/password with {\"currentPassword\": \"...\", \"newPassword\": \"...\"}",
            "(8 to 128 characters; the platform's README shows the curl line for signing in).",
            "Set Prepaid:AdminPassword before the first start to choose it yourself.",
        ];
        var width = lines.Max(l => l.Length);
        var rule = "+" + new string('-', width + 2) + "+";
        return string.Join(Environment.NewLine, [rule, .. lines.Select(l => $"| {l.PadRight(width)} |"), rule]) + Environment.NewLine;
    }

    /// <summary>Prints the banner once the server listens, after the host's own start-up lines.</summary>
    public static void AnnounceWhenStarted(WebApplication app, string password, TextWriter console) =>
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            // The console logger writes "Now listening on" from its own queue: let it drain so the banner comes last.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var url = app.Urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? app.Urls.FirstOrDefault();
            await console.WriteAsync(Environment.NewLine + Banner(password, url?.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost")));
            await console.FlushAsync();
        }));
}
