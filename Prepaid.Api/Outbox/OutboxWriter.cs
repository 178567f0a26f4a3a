using System.Data.Common;
using System.Text.Json;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Outbox;

public sealed record OutboxRow(string Kind, long SiteId, long? AccountId, long? MeterId, string PayloadJson, long NotBeforeMs, long CreatedAtMs);

/// <summary>
/// Collects state changes and switch requests inside the posting transaction, so they are stored
/// exactly when the money moved, and never without it. The device layer and the dashboard read them.
/// </summary>
public sealed class OutboxWriter
{
    readonly List<OutboxRow> rows = new();

    public IReadOnlyList<OutboxRow> Rows => rows;

    public void StateChanged(long siteId, long accountId, AccountState before, AccountState after, Money balance, DateTimeOffset now) =>
        rows.Add(new OutboxRow("stateChanged", siteId, accountId, null,
            JsonSerializer.Serialize(new { from = ApiFormat.State(before), to = ApiFormat.State(after), balance = balance.ToString() }),
            now.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()));

    public void SwitchRequested(long siteId, long accountId, long meterId, SwitchAction action, DateTimeOffset notBefore, Money balance, DateTimeOffset now) =>
        rows.Add(new OutboxRow("switchRequested", siteId, accountId, meterId,
            JsonSerializer.Serialize(new { action = action.ToString().ToLowerInvariant(), balance = balance.ToString(), notBefore = ApiFormat.Instant(notBefore) }),
            notBefore.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()));

    public static readonly Column[] Columns =
    [
        Column.Text("kind"), Column.BigInt("site_id"), Column.BigInt("account_id"), Column.BigInt("meter_id"), Column.LongText("payload_json"),
        Column.BigInt("not_before_ms"), Column.BigInt("created_at_ms"),
    ];

    public async Task FlushAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, CancellationToken ct)
    {
        await BulkInsert.RowsAsync(connection, tx, dialect, "outbox", Columns, rows,
            static (r, v) => { v[0] = r.Kind; v[1] = r.SiteId; v[2] = r.AccountId; v[3] = r.MeterId; v[4] = r.PayloadJson; v[5] = r.NotBeforeMs; v[6] = r.CreatedAtMs; }, ct);
        rows.Clear();
    }
}
