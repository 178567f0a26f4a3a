using System.Data.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// The hot path's reused statements, prepared on a real PostgreSQL server with the types the dialect gives them: the
/// server parses each one and checks every parameter's type against its column (a text sent to a BIGINT column, or a
/// statement too wide, fails here). The ingest tests' small batches never fill a 50-row block, so this is where the
/// prepared multi-row INSERTs meet the server.
/// </summary>
public class PostgresPreparedStatementTests
{
    static readonly SqlDialect Postgres = new PostgresDialect();

    public static TheoryData<string> Statements => new(HotPath().Select(s => s.Name));

    static IEnumerable<(string Name, Action<DbCommand> Build)> HotPath()
    {
        foreach (var (table, columns) in new[] { ("readings", IngestRun.ReadingColumns), ("postings", BulkInsert.PostingColumns),
                     ("tier_usage", IngestRun.TierUsageColumns), ("outbox", OutboxWriter.Columns) })
            foreach (var rows in new[] { 1, Postgres.RowsPerInsert })
                yield return ($"insert {table} × {rows}", c => BulkInsert.Insert(c, Postgres, table, columns, rows));
        yield return ("update account_meters", c => MeterBilling.Update(c, Postgres));
        yield return ("update account_meters after a billed reading", c => MeterBilling.UpdateBilled(c, Postgres));
        yield return ("update tier_usage", c => IngestRun.TierUpdate(c, Postgres));
        yield return ("update ledger_accounts", c => LedgerWriter.BalanceUpdate(c, Postgres));
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task HotPathStatement_PreparesOnPostgres(string name)
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var connection = await test.Db.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        HotPath().Single(s => s.Name == name).Build(command);
        Assert.NotEmpty(command.Parameters);
        await command.PrepareAsync();
        Assert.True(((Npgsql.NpgsqlCommand)command).IsPrepared, $"{name} was not prepared");
    }
}
