using Dapper;
using Prepaid.Api.Ledger;
using Prepaid.Api.Readings;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>One body of data tests, run against SQLite always and against PostgreSQL and SQL Server when configured (Dapper's pattern).</summary>
public abstract class LedgerSqlTests
{
    protected abstract Task<TestDatabase> CreateAsync();

    [Fact]
    public async Task Migrations_AppliedTwice_ApplyNothingTheSecondTime()
    {
        await using var test = await CreateAsync();
        var again = await Prepaid.Api.Data.Migrator.ApplyAsync(test.Db, TestDatabase.MigrationsRoot, 0);
        Assert.Empty(again);
        await using var connection = await test.Db.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version") >= 1);
    }

    [Fact]
    public async Task TopUpsAndReadings_BalancesAndLedgerInvariantsHold_R4_R15_R22()
    {
        await using var test = await CreateAsync();
        var site = await BillingSite.CreateAsync(test.Db, 3);
        await site.TopUpAsync(0, 10_000, "a");
        await site.TopUpAsync(1, 3_333, "b");
        var at = BillingSite.Opened;
        var outcomes = await site.Ingestor.IngestAsync([
            new ReadingInput(site.MeterIds[0], at.AddHours(9), new Registers(12.34m)),
            new ReadingInput(site.MeterIds[1], at.AddHours(13), new Registers(7.77m)),
            new ReadingInput(site.MeterIds[2], at.AddHours(20), new Registers(1.01m)),
            new ReadingInput(site.MeterIds[0], at.AddHours(9), new Registers(12.34m)),
        ]);
        Assert.Equal(["billed", "billed", "billed", "duplicate"], outcomes.Select(o => o.Status).ToArray());
        var balances = await site.BalancesAsync();
        // 95.00 − debit; 31.66 (3,333 − 167 fee) − debit; 0 − debit.
        Assert.Equal(9_500 - outcomes[0].AmountFen, balances[0]);
        Assert.Equal(3_166 - outcomes[1].AmountFen, balances[1]);
        Assert.Equal(-outcomes[2].AmountFen, balances[2]);
        Assert.All(await LedgerCheck.RunAsync(test.Db), c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
    }

    [Fact]
    public async Task Dialect_UniqueViolation_IsRecognised()
    {
        await using var test = await CreateAsync();
        await using var connection = await test.Db.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO users (username, password_hash, role, created_at_ms) VALUES ('u', 'x', 'admin', 0)");
        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            connection.ExecuteAsync("INSERT INTO users (username, password_hash, role, created_at_ms) VALUES ('u', 'y', 'admin', 0)"));
        Assert.True(test.Db.Dialect.IsUniqueViolation(error));
    }

    [Fact]
    public async Task Dialect_PageAndIdsFromJson_SelectTheRightRows()
    {
        await using var test = await CreateAsync();
        await using var connection = await test.Db.OpenAsync();
        for (var i = 0; i < 5; i++)
            await connection.ExecuteAsync(test.Db.Dialect.InsertReturningId("tenants", "name, phone, created_at_ms", "@name, '1', 0"), new { name = $"T{i}" });
        var page = await connection.QueryAsync<string>(test.Db.Dialect.Page("SELECT name FROM tenants ORDER BY id", "@offset", "@limit"), new { offset = 1, limit = 2 });
        Assert.Equal(["T1", "T2"], page);
        var picked = await connection.QueryAsync<string>($"SELECT name FROM tenants WHERE id IN {test.Db.Dialect.IdsFromJson("@ids")} ORDER BY id", new { ids = "[1,3,5]" });
        Assert.Equal(["T0", "T2", "T4"], picked);
    }
}

public sealed class SqliteLedgerSqlTests : LedgerSqlTests
{
    protected override async Task<TestDatabase> CreateAsync() => await SqliteTestDatabase.CreateAsync();
}

public sealed class PostgresLedgerSqlTests : LedgerSqlTests
{
    protected override async Task<TestDatabase> CreateAsync() => await PostgresTestDatabase.CreateAsync();
}

public sealed class SqlServerLedgerSqlTests : LedgerSqlTests
{
    protected override async Task<TestDatabase> CreateAsync() => await SqlServerTestDatabase.CreateAsync();
}

public class ProviderTests
{
    [Theory]
    [InlineData("Data Source=data/prepaid.db", "sqlite")]
    [InlineData("Data Source=:memory:", "sqlite")]
    [InlineData("Server=db1;Database=prepaid;User Id=sa;Password=x;TrustServerCertificate=true", "sqlserver")]
    [InlineData("Data Source=tcp:db1,1433;Initial Catalog=prepaid;Integrated Security=true", "sqlserver")]
    [InlineData("Host=127.0.0.1;Port=5432;Database=prepaid;Username=prepaid", "postgres")]
    [InlineData("Host=db1;Database=prepaid;Username=prepaid;Password=x", "postgres")]
    [InlineData("Server=db1;Port=5432;Database=prepaid;User Id=prepaid", "postgres")]
    public void ProviderOf_ConnectionString_NamesTheDialect(string connectionString, string expected) =>
        Assert.Equal(expected, Prepaid.Api.Data.Db.ProviderOf(connectionString));
}
