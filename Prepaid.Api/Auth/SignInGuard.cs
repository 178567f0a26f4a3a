using System.Data.Common;
using System.Threading.RateLimiting;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Auth;

/// <summary>
/// What stands between a password guesser and the users: a rate limit per user name (the limit per client address is
/// the <see cref="Common.RateLimits.SignIn"/> policy), a lockout after repeated failures kept in
/// <c>sign_in_failures</c>, and a password check that costs the same whether or not the user exists. Unknown names are
/// limited and locked exactly like known ones, so neither the answers nor their timing tell which users exist.
/// </summary>
public class SignInGuard : IDisposable
{
    readonly Db db;
    readonly TimeProvider time;
    readonly SignInOptions options;
    readonly PartitionedRateLimiter<string> perUser;
    // Made once with the current hash parameters: checking a password against it costs what checking a real user's does.
    readonly string absentUserHash = Passwords.Hash(Passwords.NewSecret());

    public SignInGuard(Db db, TimeProvider time, SignInOptions options)
    {
        this.db = db;
        this.time = time;
        this.options = options;
        perUser = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.PerUserPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>A user name as the database compares it (SQL Server ignores case and trailing blanks), cut to the column's length.</summary>
    public static string Key(string username)
    {
        var key = username.TrimEnd().ToLowerInvariant();
        return key.Length > 100 ? key[..100] : key;
    }

    /// <summary>Null when this user name may try now; otherwise how long to wait.</summary>
    public TimeSpan? Throttle(string username)
    {
        using var lease = perUser.AttemptAcquire(Key(username));
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    /// <summary>How long the user name stays locked, or null.</summary>
    public async Task<TimeSpan?> LockedForAsync(DbConnection connection, string username)
    {
        var until = await connection.ExecuteScalarAsync<long?>("SELECT locked_until_ms FROM sign_in_failures WHERE username = @key", new { key = Key(username) });
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return until > nowMs ? TimeSpan.FromMilliseconds(until.Value - nowMs) : null;
    }

    /// <summary>The full password check for every attempt: against the user's hash, or the absent user's when there is none.</summary>
    public bool PasswordMatches(string password, string? storedHash) => VerifyHash(password, storedHash ?? absentUserHash) && storedHash is not null;

    /// <summary>The hash work itself; tests count it.</summary>
    protected virtual bool VerifyHash(string password, string storedHash) => Passwords.Verify(password, storedHash);

    /// <summary>Counts a failure; the one that reaches <see cref="SignInOptions.MaxFailures"/> locks the name and starts the count again.</summary>
    public async Task FailedAsync(DbConnection connection, string username)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lockoutMs = (long)TimeSpan.FromMinutes(options.LockoutMinutes).TotalMilliseconds;
        var p = new { key = Key(username), nowMs, since = nowMs - lockoutMs, max = options.MaxFailures, untilMs = nowMs + lockoutMs };
        // Every SET reads the row as it was, so "count" below is this failure's number in the row of failures.
        const string update = """
            UPDATE sign_in_failures SET
                locked_until_ms = CASE WHEN (CASE WHEN last_failed_at_ms < @since THEN 1 ELSE failures + 1 END) >= @max THEN @untilMs ELSE locked_until_ms END,
                failures = CASE WHEN (CASE WHEN last_failed_at_ms < @since THEN 1 ELSE failures + 1 END) >= @max THEN 0
                                ELSE (CASE WHEN last_failed_at_ms < @since THEN 1 ELSE failures + 1 END) END,
                last_failed_at_ms = @nowMs
            WHERE username = @key
            """;
        if (await connection.ExecuteAsync(update, p) > 0) return;

        // A name not on record: first forget names whose failures and lockout are over, so guessed names do not pile up.
        await connection.ExecuteAsync(
            "DELETE FROM sign_in_failures WHERE last_failed_at_ms < @since AND (locked_until_ms IS NULL OR locked_until_ms <= @nowMs)", p);
        var locks = options.MaxFailures <= 1;
        try
        {
            await connection.ExecuteAsync(
                "INSERT INTO sign_in_failures (username, failures, last_failed_at_ms, locked_until_ms) VALUES (@key, @failures, @nowMs, @lockedUntilMs)",
                new { p.key, failures = locks ? 0 : 1, nowMs, lockedUntilMs = locks ? p.untilMs : (long?)null });
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            await connection.ExecuteAsync(update, p); // another attempt at the same name inserted it first
        }
    }

    /// <summary>A success (or an admin's password reset) clears the name's failures and lockout.</summary>
    public Task ClearAsync(DbConnection connection, DbTransaction? tx, string username) =>
        connection.ExecuteAsync("DELETE FROM sign_in_failures WHERE username = @key", new { key = Key(username) }, tx);

    public void Dispose()
    {
        perUser.Dispose();
        GC.SuppressFinalize(this);
    }
}
