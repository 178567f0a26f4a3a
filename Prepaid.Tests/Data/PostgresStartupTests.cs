using Dapper;
using Microsoft.Extensions.Configuration;
using Prepaid.Api.Auth;
using Prepaid.Api.Data;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// Nodes that start together on one PostgreSQL database: the migrations run under a session advisory lock and the
/// first admin is made under the write lock, so each script is applied once and there is one admin, whoever wins.
/// </summary>
public class PostgresStartupTests
{
    const int Nodes = 4;

    [Fact]
    public async Task EmptyDatabase_GetsEveryScriptOnce_ThenNothing()
    {
        await using var test = await PostgresTestDatabase.CreateEmptyAsync();
        var sqlite = Directory.GetFiles(Path.Combine(TestDatabase.MigrationsRoot, "sqlite"), "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(sqlite, await Migrator.ApplyAsync(test.Db, TestDatabase.MigrationsRoot, 0));
        Assert.Empty(await Migrator.ApplyAsync(test.Db, TestDatabase.MigrationsRoot, 0));
    }

    [Fact]
    public async Task NodesMigratingAtOnce_ApplyEachScriptOnce()
    {
        await using var test = await PostgresTestDatabase.CreateEmptyAsync();
        // Separate data sources, as separate processes would have.
        var nodes = Enumerable.Range(0, Nodes).Select(_ => Db.Create("postgres", test.ConnectionString, AppContext.BaseDirectory)).ToArray();
        var applied = await Task.WhenAll(nodes.Select(n => Task.Run(() => Migrator.ApplyAsync(n, TestDatabase.MigrationsRoot, 0))));
        var all = applied.SelectMany(a => a).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        await using var connection = await test.Db.OpenAsync();
        Assert.Equal(all.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task NodesStartingAtOnce_MakeOneAdmin()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Prepaid:AdminPassword"] = "first-admin-pass" }).Build();
        var nodes = Enumerable.Range(0, Nodes).Select(_ => Db.Create("postgres", test.ConnectionString, AppContext.BaseDirectory)).ToArray();
        await Task.WhenAll(nodes.Select(n => Task.Run(() => AdminSeeder.EnsureAdminAsync(n, config, TimeProvider.System))));
        await using var connection = await test.Db.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE role = 'admin'"));
    }
}
