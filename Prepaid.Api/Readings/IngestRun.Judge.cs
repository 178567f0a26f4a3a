using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Alarms;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

// Step 2, judge: each reading against its meter's last one (R5–R9), routed to store, hold, price or reject.
public sealed partial class IngestRun
{
    /// <summary>
    /// Applies one reading. Readings of one meter must come in timestamp order within a run; a batch comes in
    /// timestamp order across meters (R9a), since meters of one account share its tier usage (R13).
    /// </summary>
    public async Task<ReadingOutcome> ApplyAsync(ReadingInput r, CancellationToken ct)
    {
        var m = meters[r.MeterId];
        var estimate = r.Source == ReadingSources.Estimate;
        if (RegisterBounds.Problem(r.Registers, m.Spec.RegisterMax) is { } impossible) return estimate ? NotEstimated(impossible) : Reject(r, impossible);
        var atMs = r.At.ToUnixTimeMilliseconds();

        // R9: the same meter and timestamp as a stored reading is a duplicate or a conflict.
        if (storedThisRun.TryGetValue((r.MeterId, atMs), out var same))
            return estimate ? NotEstimated("A reading is already stored at that instant.") : SameOrConflict(r, same);
        if (m.AccountMeterId is null || atMs <= m.SeenAtMs)
        {
            var stored = await StoredAsync(r.MeterId, atMs);
            if (stored is not null) return estimate ? NotEstimated("A reading is already stored at that instant.") : SameOrConflict(r, stored);
        }
        if (estimate) return ApplyEstimate(r, m, atMs);
        WatchPower(r, m, atMs);

        if (m.IsAllocator)
            return Store(r, m, "baseline", "A heat cost allocator counts units, not energy: the reading is recorded, never priced (R34).");
        if (m.AccountMeterId is null)
            return Store(r, m, "baseline", "The meter has no open account; the reading is recorded, not billed.");

        Touch(m);
        m.SeenAtMs = Math.Max(m.SeenAtMs, atMs);
        if (m.HeldReadingId is not null && atMs > m.LastAtMs)
        {
            Store(r, m, "queued", "Queued behind a suspect reading awaiting an operator's decision (R8).");
            return new ReadingOutcome("suspect", null, "Queued behind a suspect reading awaiting an operator's decision (R8).");
        }

        // R30: while estimates stand, a real reading is judged against the last real one, not against the estimates.
        var (judgedAt, judged) = m.Anchor is { } anchor ? (anchor.AtMs, anchor.Registers) : (m.LastAtMs, m.Last!);
        var verdict = ReadingCheck.Evaluate(m.Spec, DateTimeOffset.FromUnixTimeMilliseconds(judgedAt), judged, r.At, r.Registers);
        switch (verdict.Kind)
        {
            case VerdictKind.Duplicate:
            case VerdictKind.Conflict:
                return SameOrConflict(r, judged);
            case VerdictKind.Late:
                return Store(r, m, "late", verdict.Reason ?? "Older than the last billed reading; stored, not billed (R9).");
            case VerdictKind.Rejected:
                return Store(r, m, "rejected", verdict.Reason);
            case VerdictKind.Suspect:
                return await HoldAsync(r, m, verdict.Reason, ct);
            case VerdictKind.Baseline:
                m.LastAtMs = atMs;
                m.Last = r.Registers;
                return Store(r, m, "baseline", null);
            default:
                if (m.Anchor is not null)
                {
                    var estimates = await StandingEstimatesAsync(m);
                    if (Supersede(m, r.At, r.Registers, verdict, estimates, out var unpricedReal) is not { } superseding)
                        return await HoldAsync(r, m, unpricedReal, ct);
                    await MarkSupersededAsync(m, estimates, r.At, ct);
                    return Store(r, m, "billed", superseding.Reason, superseding.Debit.Fen, superseding.QuantityMilli);
                }
                if (Price(m, r.At, verdict.Quantity, verdict.PeriodQuantities, out var unpriced) is not { } priced)
                    return await HoldAsync(r, m, unpriced, ct);
                var debit = Bill(m, r.At, r.Registers, priced);
                return Store(r, m, "billed", null, debit.Fen, priced.QuantityMilli);
        }
    }

    /// <summary>
    /// R30: an estimated reading bills like a reading, but only when it can: on a meter with an open account, nothing held,
    /// nothing stored at or after its instant, a delta R6–R8 accept and a price. Otherwise nothing is stored, and the
    /// outcome (status "none") says why. The first estimate after a real reading keeps that reading as the anchor.
    /// </summary>
    ReadingOutcome ApplyEstimate(ReadingInput r, MeterBilling m, long atMs)
    {
        if (m.AccountMeterId is null) return NotEstimated("The meter has no open account.");
        if (m.HeldReadingId is not null) return NotEstimated("A suspect reading holds the meter (R8): its data awaits an operator.");
        if (atMs <= m.SeenAtMs) return NotEstimated("The meter has a reading at or after that instant.");
        var verdict = ReadingCheck.Evaluate(m.Spec, DateTimeOffset.FromUnixTimeMilliseconds(m.LastAtMs), m.Last, r.At, r.Registers);
        if (verdict.Kind != VerdictKind.Billable) return NotEstimated($"The estimate would not bill: {verdict.Reason ?? verdict.Kind.ToString()}.");
        if (Price(m, r.At, verdict.Quantity, null, out var unpriced) is not { } priced) return NotEstimated(unpriced ?? "It has no price.");
        Touch(m);
        m.SeenAtMs = atMs;
        m.Anchor ??= new EstimateAnchor(m.LastAtMs, m.Last!, m.Charge.ExactCost);
        var debit = Bill(m, r.At, r.Registers, priced);
        return Store(r, m, "billed", "Estimated (R30): the average daily consumption of the last 30 days with readings.", debit.Fen, priced.QuantityMilli);
    }

    static ReadingOutcome NotEstimated(string reason) => new("none", null, reason);

    /// <summary>The latest power of each meter with an overload limit, checked once per run when the run is flushed.</summary>
    void WatchPower(ReadingInput r, MeterBilling m, long atMs)
    {
        if (r.PowerW is not { } power || m.OverloadLimitW is not { } limit) return;
        if (!powers.TryGetValue(m.MeterId, out var seen) || seen.AtMs < atMs) powers[m.MeterId] = (atMs, power, limit);
    }

    /// <summary>R8: stores the reading as suspect; it holds the meter, and later readings queue behind it.</summary>
    async Task<ReadingOutcome> HoldAsync(ReadingInput r, MeterBilling m, string? reason, CancellationToken ct)
    {
        var atMs = r.At.ToUnixTimeMilliseconds();
        m.HeldReadingId = await InsertOneAsync(new ReadingRow(r.MeterId, atMs, r.Registers, "suspect", reason, null, m.AccountMeterId,
            Source: r.Source, EnteredBy: r.EnteredBy, PowerW: r.PowerW), ct);
        storedThisRun[(r.MeterId, atMs)] = r.Registers;
        return new ReadingOutcome("suspect", null, reason);
    }

    ReadingOutcome Store(ReadingInput r, MeterBilling m, string status, string? reason, long? amountFen = null, long? quantityMilli = null)
    {
        var atMs = r.At.ToUnixTimeMilliseconds();
        readings.Add(new ReadingRow(r.MeterId, atMs, r.Registers, status, reason, amountFen, m.AccountMeterId, quantityMilli, r.Source, r.EnteredBy, r.PowerW));
        storedThisRun[(r.MeterId, atMs)] = r.Registers;
        return new ReadingOutcome(status, amountFen, reason);
    }

    ReadingOutcome SameOrConflict(ReadingInput r, Registers stored) => stored == r.Registers
        ? new ReadingOutcome("duplicate", null, null)
        : Reject(r, "A different reading is already stored for this meter and timestamp (R9).");

    /// <summary>A reading that is not stored as a reading: kept with its reason among the rejects, for operators to see.</summary>
    ReadingOutcome Reject(ReadingInput r, string reason)
    {
        rejects.Add((r.MeterId, System.Text.Json.JsonSerializer.Serialize(new
        {
            meterId = r.MeterId, at = ApiFormat.Instant(r.At),
            registers = RegisterJson.Of(r.Registers), source = r.Source, enteredBy = r.EnteredBy,
        }), reason));
        return new ReadingOutcome("rejected", null, reason);
    }

    readonly List<(long MeterId, string Payload, string Reason)> rejects = new();
}
