using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Prepaid.Api.Data;

/// <summary>How SQLite syncs a commit to disk: FULL for the money database; NORMAL only to measure what FULL costs.</summary>
public enum SqliteSynchronous { Full, Normal }

/// <summary>The database: a data source and its dialect. Registered once; every feature opens connections from it.</summary>
public sealed class Db(DbDataSource source, SqlDialect dialect, SqliteSynchronous synchronous = SqliteSynchronous.Full)
{
    // Columns are snake_case, records PascalCase: let Dapper match amount_fen to AmountFen.
    static Db() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>
    /// Writes that move money go through this gate one at a time inside a process: SQLite has one writer anyway,
    /// and the engine's read-price-post sequence must not interleave for one account. Across nodes (PostgreSQL,
    /// SQL Server) the dialect's lock in <see cref="SqlDialect.BeginWrite"/> does the same, and the unique idempotency
    /// keys make a second writer fail instead of double-posting.
    /// </summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = await source.OpenConnectionAsync(ct);
        if (Dialect is SqliteDialect)
        {
            await using var pragma = connection.CreateCommand();
            // WAL is persistent on the file; the rest is per connection.
            // FULL syncs the WAL at every commit: a top-up acknowledged to a cashier survives power loss, which NORMAL
            // does not promise (it may lose the last commits). Prepaid.Bench's ingest prints the cost.
            // The page cache and the memory map are sized for the machine (SqlitePages). An ingest batch dirties the last
            // page of every meter's entries in each index; checkpointing after every such commit (SQLite's default, every
            // 1,000 pages) wrote those pages to the file again each batch. Every 100,000 pages (about 400 MiB of WAL) a page
            // rewritten by many batches reaches the file once: commit time at 3,000,000 readings of history fell by half.
            pragma.CommandText = $"PRAGMA synchronous = {(synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")}; PRAGMA foreign_keys = ON; " +
                $"PRAGMA cache_size = -{SqlitePages.CacheKib}; PRAGMA mmap_size = {SqlitePages.MmapBytes}; PRAGMA wal_autocheckpoint = 100000;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    /// <summary>
    /// A connection string with a Host or Port is PostgreSQL's (Npgsql's own keys; SqlClient knows neither); one that
    /// otherwise names a server or a catalog is SQL Server's; anything else is a SQLite file.
    /// </summary>
    public static string ProviderOf(string connectionString)
    {
        var keys = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0].Trim().ToLowerInvariant()).ToList();
        if (keys.Any(k => k is "host" or "port")) return "postgres";
        return keys.Any(k => k is "server" or "initial catalog" or "database" or "address" or "addr") ? "sqlserver" : "sqlite";
    }

    public static Db Create(string provider, string connectionString, string contentRoot, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        if (provider.Equals("sqlserver", StringComparison.OrdinalIgnoreCase))
            return new Db(SqlClientFactory.Instance.CreateDataSource(connectionString), new SqlServerDialect());
        if (provider.Equals("postgres", StringComparison.OrdinalIgnoreCase))
            return new Db(NpgsqlDataSource.Create(connectionString), new PostgresDialect());

        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        var folder = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        builder.DefaultTimeout = 30; // seconds a writer waits for SQLite's lock before failing
        return new Db(SqliteFactory.Instance.CreateDataSource(builder.ConnectionString), new SqliteDialect(), synchronous);
    }
}
