using System.Data.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;

namespace Prepaid.Api.Ledger;

/// <summary>
/// The one pattern for writes that move money: hold the write gate, take the write lock, do the work, store the
/// outbox rows with it, commit, then tell live consumers. Counter top-ups and every payment path use it.
/// </summary>
public static class PostingWrites
{
    public static async Task<T> RunAsync<T>(Db db, IPostingEvents events, Func<DbConnection, DbTransaction, OutboxWriter, Task<T>> work, CancellationToken ct)
    {
        var outbox = new OutboxWriter();
        IReadOnlyList<OutboxRow> published;
        T result;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            result = await work(connection, tx, outbox);
            published = outbox.Rows.ToList();
            if (published.Count > 0) await outbox.FlushAsync(connection, tx, db.Dialect, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        events.Posted(published);
        return result;
    }
}
