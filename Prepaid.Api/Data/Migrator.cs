using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Data;

/// <summary>
/// Applies the numbered, forward-only scripts of db/&lt;dialect&gt;/ in order, each in its own transaction,
/// and records them in schema_version. A script once applied is never edited: add the next number.
/// On a server database the whole run holds a session lock, so nodes starting together apply each script once.
/// </summary>
public static class Migrator
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(Db db, string scriptsRoot, long nowMs, CancellationToken ct = default)
    {
        var folder = Path.Combine(scriptsRoot, db.Dialect.Name);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"No migrations at {folder}.");
        var scripts = Directory.GetFiles(folder, "*.sql").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();

        await using var connection = await db.OpenAsync(ct);
        if (db.Dialect is SqliteDialect)
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        var sessionLock = db.Dialect.SessionLock("prepaid-migrations");
        if (sessionLock is { } taken) await connection.ExecuteAsync(taken.Take);
        try
        {
            return await ApplyLockedAsync(connection, db, scripts, nowMs, ct);
        }
        finally
        {
            if (sessionLock is { } held) await connection.ExecuteAsync(held.Release);
        }
    }

    static async Task<IReadOnlyList<string>> ApplyLockedAsync(DbConnection connection, Db db, List<string> scripts, long nowMs, CancellationToken ct)
    {
        await connection.ExecuteAsync(VersionTable(db.Dialect));
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_version")).ToHashSet();

        var done = new List<string>();
        foreach (var script in scripts)
        {
            var name = Path.GetFileName(script);
            if (!long.TryParse(name.Split('_')[0], out var version))
                throw new InvalidOperationException($"Migration {name} does not start with its number.");
            if (applied.Contains(version)) continue;
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(await File.ReadAllTextAsync(script, ct), transaction: tx);
            await connection.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at_ms) VALUES (@version, @name, @nowMs)",
                new { version, name, nowMs }, tx);
            await tx.CommitAsync(ct);
            done.Add(name);
        }
        return done;
    }

    /// <summary>The statement that creates schema_version where it is missing.</summary>
    public static string VersionTable(SqlDialect dialect) => dialect switch
    {
        SqliteDialect => CreateVersionTableSqlite,
        PostgresDialect => CreateVersionTablePostgres,
        _ => CreateVersionTableSqlServer,
    };

    const string CreateVersionTableSqlite = """
        CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)
        """;

    const string CreateVersionTablePostgres = """
        CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)
        """;

    const string CreateVersionTableSqlServer = """
        IF OBJECT_ID('schema_version') IS NULL
        CREATE TABLE schema_version (version BIGINT PRIMARY KEY, name NVARCHAR(200) NOT NULL, applied_at_ms BIGINT NOT NULL)
        """;

    /// <summary>Finds db/ beside the binary (published) or up the tree (dotnet run from the repository).</summary>
    public static string LocateScripts(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "db");
            if (Directory.Exists(Path.Combine(candidate, "sqlite"))) return candidate;
        }
        throw new DirectoryNotFoundException($"No db/ folder with migrations above {start}.");
    }
}
