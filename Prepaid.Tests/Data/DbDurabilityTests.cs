using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Data;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// A commit acknowledged to a cashier must survive power loss: SQLite in WAL mode with synchronous=FULL syncs the WAL on
/// every commit (NORMAL may lose the last ones). The cost is measured by the ingest benchmark.
/// </summary>
public class DbDurabilityTests
{
    static async Task AssertDurableAsync(Db db)
    {
        await using var connection = await db.OpenAsync();
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 2 = FULL
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Connection_FromDb_RunsWithSynchronousFullInWalMode()
    {
        await using var test = await SqliteTestDatabase.CreateAsync();
        await AssertDurableAsync(test.Db);
    }

    [Fact]
    public async Task Connection_OfTheRunningApi_RunsWithSynchronousFullInWalMode()
    {
        using var app = new PrepaidApp();
        using var admin = await app.AdminAsync(); // started and migrated
        await AssertDurableAsync(app.Services.GetRequiredService<Db>());
    }
}
