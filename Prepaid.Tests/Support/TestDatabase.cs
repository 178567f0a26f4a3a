using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using Prepaid.Api.Data;

namespace Prepaid.Tests.Support;

/// <summary>A fresh, migrated database of one dialect: a SQLite file in a temp folder, or a new PostgreSQL or SQL Server database.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract Db Db { get; }

    public static string MigrationsRoot => Migrator.LocateScripts(AppContext.BaseDirectory);

    public abstract ValueTask DisposeAsync();
}

public sealed class SqliteTestDatabase : TestDatabase
{
    readonly string folder = Directory.CreateTempSubdirectory("prepaid-db-").FullName;
    public override Db Db { get; }
    public string Path => System.IO.Path.Combine(folder, "prepaid.db");

    SqliteTestDatabase() => Db = Db.Create("sqlite", $"Data Source={Path}", folder);

    public static async Task<SqliteTestDatabase> CreateAsync()
    {
        var db = new SqliteTestDatabase();
        await Migrator.ApplyAsync(db.Db, MigrationsRoot, 0);
        return db;
    }

    /// <summary>An empty file, for tests that choose which migrations to apply.</summary>
    public static Task<SqliteTestDatabase> CreateEmptyAsync() => Task.FromResult(new SqliteTestDatabase());

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// SQL Server runs only where PREPAID_TEST_SQLSERVER holds a connection string (to a server where we may create
/// databases); each test gets its own database, dropped afterwards. Elsewhere the tests skip and say why.
/// </summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    public const string Variable = "PREPAID_TEST_SQLSERVER";
    readonly string serverConnection;
    readonly string name = "prepaid_test_" + Guid.NewGuid().ToString("N")[..12];
    public override Db Db { get; }

    SqlServerTestDatabase(string serverConnection)
    {
        this.serverConnection = serverConnection;
        var builder = new SqlConnectionStringBuilder(serverConnection) { InitialCatalog = name };
        Db = Db.Create("sqlserver", builder.ConnectionString, AppContext.BaseDirectory);
    }

    public static async Task<SqlServerTestDatabase> CreateAsync()
    {
        var connection = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connection))
            Assert.Skip($"SQL Server tests skipped: set {Variable} to a SQL Server connection string to run them.");
        var db = new SqlServerTestDatabase(connection!);
        await using (var master = new SqlConnection(connection))
            await master.ExecuteAsync($"CREATE DATABASE [{db.name}]");
        await Migrator.ApplyAsync(db.Db, MigrationsRoot, 0);
        return db;
    }

    public override async ValueTask DisposeAsync()
    {
        SqlConnection.ClearAllPools();
        await using var master = new SqlConnection(serverConnection);
        await master.ExecuteAsync($"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]");
    }
}

/// <summary>
/// PostgreSQL runs where PREPAID_TEST_POSTGRES holds a connection string (to a server where we may create databases;
/// .ci/run starts a throwaway one); each test gets its own database, dropped afterwards. Elsewhere the tests skip and
/// say why.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = "PREPAID_TEST_POSTGRES";
    readonly string serverConnection;
    readonly string name = "prepaid_test_" + Guid.NewGuid().ToString("N")[..12];
    public override Db Db { get; }
    public string ConnectionString { get; }

    PostgresTestDatabase(string serverConnection)
    {
        this.serverConnection = serverConnection;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnection) { Database = name }.ConnectionString;
        Db = Db.Create("postgres", ConnectionString, AppContext.BaseDirectory);
    }

    /// <summary>The server's connection string, or a skip that names the variable.</summary>
    public static string ServerOrSkip()
    {
        var connection = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connection))
            Assert.Skip($"PostgreSQL tests skipped: set {Variable} to a PostgreSQL connection string to run them (.ci/run does).");
        return connection!;
    }

    /// <summary>A migrated database: a copy of one database migrated once per test run (a property test makes hundreds).</summary>
    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var db = new PostgresTestDatabase(ServerOrSkip());
        var template = await Template.Value;
        await using (var server = new NpgsqlConnection(db.serverConnection))
            await server.ExecuteAsync($"CREATE DATABASE {db.name} TEMPLATE {template}");
        await Migrator.ApplyAsync(db.Db, MigrationsRoot, 0);
        return db;
    }

    /// <summary>An empty database, for tests that choose which migrations to apply.</summary>
    public static async Task<PostgresTestDatabase> CreateEmptyAsync()
    {
        var db = new PostgresTestDatabase(ServerOrSkip());
        await using (var server = new NpgsqlConnection(db.serverConnection))
            await server.ExecuteAsync($"CREATE DATABASE {db.name}");
        return db;
    }

    static readonly Lazy<Task<string>> Template = new(async () =>
    {
        var server = ServerOrSkip();
        var name = "prepaid_template_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        // Unpooled, so no connection stays open on it: PostgreSQL copies a template only when nobody is connected.
        var template = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        await Migrator.ApplyAsync(Db.Create("postgres", template, AppContext.BaseDirectory), MigrationsRoot, 0);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var connection = new NpgsqlConnection(server);
            connection.Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        };
        return name;
    });

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(serverConnection);
        await server.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }
}
