using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Auth;

/// <summary>
/// On the first start there is no user: create `admin` with the configured password, or a random one
/// printed once to the console (it is not stored anywhere in clear). The check and the insert run in one write
/// transaction (the dialect's lock), so two nodes starting together on one server database make one admin.
/// </summary>
public static class AdminSeeder
{
    public static async Task EnsureAdminAsync(Db db, IConfiguration config, TimeProvider time, TextWriter console, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = db.Dialect.BeginWrite(connection);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users", transaction: tx) > 0) return;
        var configured = config["Prepaid:AdminPassword"];
        var password = string.IsNullOrEmpty(configured) ? Passwords.NewSecret(12) : configured;
        await connection.ExecuteAsync(
            "INSERT INTO users (username, password_hash, role, created_at_ms) VALUES ('admin', @hash, 'admin', @nowMs)",
            new { hash = Passwords.Hash(password), nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        await tx.CommitAsync(ct);
        if (string.IsNullOrEmpty(configured))
            await console.WriteLineAsync($"First start: created user 'admin' with password {password} (shown once; change it).");
    }
}
