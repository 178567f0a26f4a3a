using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Prepaid.Api.Data;

/// <summary>
/// The few places where SQLite, PostgreSQL and SQL Server differ; all other SQL is shared text.
/// Kept as small as Quartz's SQLiteDelegate/PostgreSQLDelegate/SqlServerDelegate split.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>Appends what makes an INSERT return the new row's id (placed before VALUES on SQL Server, at the end on SQLite).</summary>
    public abstract string InsertReturningId(string table, string columns, string values);

    /// <summary>A table-valued source of ids from a JSON array parameter, as a subquery yielding column <c>value</c>.</summary>
    public abstract string IdsFromJson(string parameter);

    /// <summary>A table-valued source of strings from a JSON array parameter, as a subquery yielding column <c>value</c>.</summary>
    public abstract string TextsFromJson(string parameter);

    public abstract string Page(string orderedSelect, string offsetParameter, string limitParameter);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Takes the write lock at the start of a transaction where the engine needs it (SQLite: BEGIN IMMEDIATE).</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>
    /// Rows per INSERT in bulk writes. SQLite runs in-process, so a prepared one-row statement is cheapest
    /// (it looks parameters up by name in a linear scan, so wide statements cost quadratic time); SQL Server
    /// pays a round trip per statement, so it gets 50 rows at a time.
    /// </summary>
    public abstract int RowsPerInsert { get; }

    /// <summary>A statement that refreshes the planner's statistics of <paramref name="tables"/>, where the server needs one asked.</summary>
    public virtual string? RefreshStatistics(params string[] tables) => null;

    /// <summary>
    /// Whether <see cref="BatchedStatements"/> sends a per-row statement in batches (one round trip for many rows).
    /// PostgreSQL only: SQLite has no round trips, and SQL Server's batches are not measured here.
    /// </summary>
    public virtual bool BatchesStatements => false;

    /// <summary>
    /// Statements that take and release a lock held by the connection across transactions, so two nodes starting at
    /// once do not both apply a migration or both create the first admin. Null on SQLite: one process owns the file.
    /// </summary>
    public abstract (string Take, string Release)? SessionLock(string resource);

    /// <summary>
    /// How a SELECT claims rows that another node may be claiming at the same moment: <see cref="ClaimHint"/> follows
    /// the table name (SQL Server), <see cref="ClaimSuffix"/> ends the statement (PostgreSQL); SQLite's single writer
    /// needs neither.
    /// </summary>
    public abstract string ClaimHint { get; }

    /// <inheritdoc cref="ClaimHint"/>
    public abstract string ClaimSuffix { get; }

    /// <summary>
    /// Adds a parameter of the given type. SQL Server refuses to prepare a command whose parameters have no type, or
    /// whose strings have no size; SQLite would cut strings at the size, so it takes the type alone.
    /// </summary>
    public DbParameter Parameter(DbCommand command, string name, ParameterType type)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.DbType = type.DbType;
        if (SizesStrings && type.Size != 0) p.Size = type.Size;
        command.Parameters.Add(p);
        return p;
    }

    protected abstract bool SizesStrings { get; }
}

public sealed class SqliteDialect : SqlDialect
{
    public override string Name => "sqlite";
    public override string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id";
    public override string IdsFromJson(string parameter) => $"(SELECT value FROM json_each({parameter}))";
    public override string TextsFromJson(string parameter) => $"(SELECT value FROM json_each({parameter}))";
    public override string Page(string orderedSelect, string offsetParameter, string limitParameter) =>
        $"{orderedSelect} LIMIT {limitParameter} OFFSET {offsetParameter}";
    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
    public override DbTransaction BeginWrite(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);
    public override int RowsPerInsert => 1;
    public override (string Take, string Release)? SessionLock(string resource) => null;
    public override string ClaimHint => "";
    public override string ClaimSuffix => "";
    protected override bool SizesStrings => false;
}

public sealed class PostgresDialect : SqlDialect
{
    public override string Name => "postgres";
    public override string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id";
    public override string IdsFromJson(string parameter) =>
        $"(SELECT CAST(value AS BIGINT) AS value FROM jsonb_array_elements_text(CAST({parameter} AS jsonb)))";
    public override string TextsFromJson(string parameter) =>
        $"(SELECT value FROM jsonb_array_elements_text(CAST({parameter} AS jsonb)))";
    public override string Page(string orderedSelect, string offsetParameter, string limitParameter) =>
        $"{orderedSelect} LIMIT {limitParameter} OFFSET {offsetParameter}";
    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
    /// <summary>
    /// As on SQL Server: a transaction-scoped advisory lock serialises the money writers of every node, and is released
    /// by the commit or rollback.
    /// </summary>
    public override DbTransaction BeginWrite(DbConnection connection)
    {
        var tx = connection.BeginTransaction(System.Data.IsolationLevel.ReadCommitted);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT pg_advisory_xact_lock({LockKey("prepaid-ledger")})";
        command.ExecuteNonQuery();
        return tx;
    }
    public override int RowsPerInsert => 50;

    public override bool BatchesStatements => true;

    public override string? RefreshStatistics(params string[] tables) => $"ANALYZE {string.Join(", ", tables)}";

    public override (string Take, string Release)? SessionLock(string resource) =>
        ($"SELECT pg_advisory_lock({LockKey(resource)})", $"SELECT pg_advisory_unlock({LockKey(resource)})");
    public override string ClaimHint => "";
    public override string ClaimSuffix => " FOR UPDATE SKIP LOCKED";
    // Npgsql cuts a string to its Size when it sends it; TEXT has no width to declare.
    protected override bool SizesStrings => false;

    /// <summary>A fixed 64-bit advisory-lock key per resource name (FNV-1a), the same on every node.</summary>
    static long LockKey(string resource)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in resource) hash = (hash ^ c) * 1099511628211UL;
        return unchecked((long)hash);
    }
}

public sealed class SqlServerDialect : SqlDialect
{
    public override string Name => "sqlserver";
    public override string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.id VALUES ({values})";
    public override string IdsFromJson(string parameter) => $"(SELECT CAST(value AS BIGINT) AS value FROM OPENJSON({parameter}))";
    public override string TextsFromJson(string parameter) => $"(SELECT value FROM OPENJSON({parameter}))";
    public override string Page(string orderedSelect, string offsetParameter, string limitParameter) =>
        $"{orderedSelect} OFFSET {offsetParameter} ROWS FETCH NEXT {limitParameter} ROWS ONLY";
    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqlException { Number: 2627 or 2601 };
    /// <summary>
    /// Money writers read balances and meter state, then write them back: across nodes that must not interleave.
    /// An exclusive application lock held for the transaction makes SQL Server behave like SQLite's single writer.
    /// </summary>
    public override DbTransaction BeginWrite(DbConnection connection)
    {
        var tx = connection.BeginTransaction(System.Data.IsolationLevel.ReadCommitted);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = LedgerLock;
        command.ExecuteNonQuery();
        return tx;
    }

    /// <summary>The exclusive application lock of <see cref="BeginWrite"/>, released with the transaction.</summary>
    public const string LedgerLock = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = 'prepaid-ledger', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 30000;
        IF @result < 0 THROW 50001, 'Timed out waiting for the ledger lock.', 1;
        """;
    public override int RowsPerInsert => 50;
    public override (string Take, string Release)? SessionLock(string resource) => (
        $"DECLARE @result int; EXEC @result = sp_getapplock @Resource = '{resource}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 60000; IF @result < 0 THROW 50002, 'Timed out waiting for the {resource} lock.', 1;",
        $"EXEC sp_releaseapplock @Resource = '{resource}', @LockOwner = 'Session';");
    public override string ClaimHint => " WITH (UPDLOCK, READPAST, ROWLOCK)";
    public override string ClaimSuffix => "";
    protected override bool SizesStrings => true;
}
