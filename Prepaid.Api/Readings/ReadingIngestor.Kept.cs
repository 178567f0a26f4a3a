using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Prepaid.Api.Readings;

// The state a committed batch leaves, kept for the next batch while nothing else writes to the database.
public sealed partial class ReadingIngestor
{
    /// <summary>Batches that started from the state the batch before them left, rather than an empty one.</summary>
    public long BatchesOnKeptState { get; private set; }

    /// <summary>
    /// The state a committed batch left, the SQLite connection it committed on (<see cref="Handle"/>, its native handle)
    /// and that connection's change mark as of the commit: its data_version, which changes when any other connection (in
    /// this process or another) commits, and its total_changes(), which grows when anything else writes on this same
    /// connection as the pool lends it out between batches. The same mark in the next batch's write transaction means
    /// nothing else has written since, so the database still holds exactly that state.
    /// The mark is read inside the batch's transaction, after its last write: no one else can commit then, and the
    /// commit itself moves neither number. Read after the commit, it could take in another writer's commit unseen.
    /// PostgreSQL has no such mark to read inside a transaction (its WAL position moves with the commit itself, and
    /// other writers commit concurrently), so there every batch loads afresh.
    /// </summary>
    sealed record KeptState(IngestState State, SQLitePCL.sqlite3 Handle, string Mark);

    KeptState? kept;

    static Task<string> MarkAsync(SqliteConnection connection, DbTransaction tx) => connection.QuerySingleAsync<string>(
        "SELECT (SELECT data_version FROM pragma_data_version()) || '/' || total_changes()", transaction: tx);

    /// <summary>The kept state when it is still what the database holds, else a new one; either way no longer kept until a commit.</summary>
    async Task<IngestState> TakeStateAsync(DbConnection connection, DbTransaction tx)
    {
        var previous = kept;
        kept = null;
        if (previous is null || connection is not SqliteConnection sqlite || !ReferenceEquals(sqlite.Handle, previous.Handle)) return new IngestState();
        if (await MarkAsync(sqlite, tx) != previous.Mark) return new IngestState();
        BatchesOnKeptState++;
        return previous.State;
    }

    /// <summary>The state to keep if the commit that follows succeeds: read after the batch's last write, before its commit.</summary>
    async Task<KeptState?> ToKeepAsync(DbConnection connection, DbTransaction tx, IngestState state) =>
        connection is SqliteConnection { Handle: { } handle } sqlite ? new KeptState(state, handle, await MarkAsync(sqlite, tx)) : null;
}
