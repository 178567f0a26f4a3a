using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;

namespace Prepaid.Api.Charges;

/// <summary>
/// The charges job's work (R28), given <c>now</c>: posts every period that fell due by then, in one transaction.
/// Running it again at the same or an earlier instant posts nothing more.
/// </summary>
public sealed class ChargeRun(Db db, IPostingEvents events)
{
    public Task<List<PostedCharge>> RunAsync(DateTimeOffset now, CancellationToken ct = default) => RunAsync(now, now, null, ct);

    /// <summary>What fell due by <paramref name="dueBy"/> on the sites given (null: every site); switching acts at <paramref name="now"/>.</summary>
    public Task<List<PostedCharge>> RunAsync(DateTimeOffset dueBy, DateTimeOffset now, string? sitesJson, CancellationToken ct = default) =>
        PostingWrites.RunAsync(db, events, (connection, tx, outbox) =>
            ChargePosting.PostDueAsync(connection, tx, db.Dialect, outbox, new ChargeScope(SitesJson: sitesJson), dueBy, now), ct);
}
