using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Helpdesk;

/// <summary>
/// The helpdesk's SQL on PostgreSQL: a request's whole life (photo in BYTEA, events, the tenant's and the staff's views) and
/// the overview's counts, with the scripts of db/postgres. Skipped without PREPAID_TEST_POSTGRES.
/// </summary>
public class PostgresHelpdeskTests
{
    [Fact]
    public async Task Request_FiledToClosed_OnPostgres()
    {
        await using var database = await PostgresTestDatabase.CreateEmptyAsync();
        await using var w = await HelpdeskWorld.StartAsync(on: new PrepaidApp("postgres", database.ConnectionString));
        await HelpdeskTests.FiledToClosedAsync(w);
    }

    [Fact]
    public async Task Overview_Counts_OnPostgres()
    {
        await using var database = await PostgresTestDatabase.CreateEmptyAsync();
        await using var w = await HelpdeskWorld.StartAsync(on: new PrepaidApp("postgres", database.ConnectionString));
        await HelpdeskTests.CountsAsync(w);
    }
}
