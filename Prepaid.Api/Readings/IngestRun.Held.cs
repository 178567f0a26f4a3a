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

// R8: an operator's decision on a held reading, and the readings queued behind it taken again.
public sealed partial class IngestRun
{
    /// <summary>
    /// An operator's decision on a held reading (R8). Accepting bills it as it stands, or makes it the baseline when it
    /// has no price (R12a); rejecting keeps it as rejected.
    /// Either way the readings queued behind it are taken again in order.
    /// </summary>
    public async Task<IReadOnlyList<ReadingOutcome>> ResolveHeldAsync(long meterId, bool accept, string? note, CancellationToken ct)
    {
        var m = meters[meterId];
        var held = await connection.QuerySingleAsync<(long Id, long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley)>(
            "SELECT id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli FROM readings WHERE id = @id",
            new { id = m.HeldReadingId }, tx);
        m.HeldReadingId = null;
        Touch(m);
        if (accept)
        {
            var registers = RegisterJson.FromMilli(held.Total, held.Sharp, held.Peak, held.Flat, held.Valley);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(held.AtMs);
            var accepted = ReadingCheck.Accept(m.Spec, m.Anchor?.Registers ?? m.Last!, registers);
            var estimates = m.Anchor is null ? null : await StandingEstimatesAsync(m);
            if (estimates is not null && Supersede(m, at, registers, accepted, estimates, out _) is { } superseding)
            {
                await MarkSupersededAsync(m, estimates, at, ct);
                await connection.ExecuteAsync("UPDATE readings SET status = 'billed', amount_fen = @fen, quantity_milli = @quantityMilli, reason = @reason WHERE id = @id",
                    new { fen = superseding.Debit.Fen, quantityMilli = superseding.QuantityMilli,
                        reason = "Accepted by an operator" + (note is null ? "" : ": " + note) + ". " + superseding.Reason, id = held.Id }, tx);
            }
            else if (Price(m, at, accepted.Quantity, accepted.PeriodQuantities, out var unpriced) is { } priced)
            {
                var debit = Bill(m, at, registers, priced);
                await connection.ExecuteAsync("UPDATE readings SET status = 'billed', amount_fen = @fen, quantity_milli = @quantityMilli, reason = @reason WHERE id = @id",
                    new { fen = debit.Fen, quantityMilli = priced.QuantityMilli, reason = "Accepted by an operator" + (note is null ? "" : ": " + note), id = held.Id }, tx);
            }
            else
            {
                // R12a: consumption without a price is never billed, not even by a later version; accepting the
                // reading makes it the baseline the next delta is taken from (R6).
                m.LastAtMs = held.AtMs;
                m.Last = registers;
                m.Anchor = null; // the estimates' debits stand: there is no real delta to price them against
                await connection.ExecuteAsync("UPDATE readings SET status = 'baseline', reason = @reason WHERE id = @id",
                    new { reason = "Accepted by an operator as the baseline, not billed: " + unpriced + (note is null ? "" : " " + note), id = held.Id }, tx);
            }
        }
        else
        {
            await connection.ExecuteAsync("UPDATE readings SET status = 'rejected', reason = @reason WHERE id = @id",
                new { reason = "Rejected by an operator" + (note is null ? "" : ": " + note), id = held.Id }, tx);
        }

        var queued = (await connection.QueryAsync<(long Id, long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley, string Source, long? EnteredBy, long? PowerW)>(
            "SELECT id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, source, entered_by, power_w FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status = 'queued' ORDER BY at_ms",
            new { meterId }, tx)).ToList();
        // Queued readings are taken again as if they arrived now, in order; their rows are replaced by the outcome.
        await connection.ExecuteAsync("DELETE FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status = 'queued'", new { meterId }, tx);
        var outcomes = new List<ReadingOutcome>();
        foreach (var q in queued)
            outcomes.Add(await ApplyAsync(new ReadingInput(meterId, DateTimeOffset.FromUnixTimeMilliseconds(q.AtMs),
                RegisterJson.FromMilli(q.Total, q.Sharp, q.Peak, q.Flat, q.Valley), q.Source, q.EnteredBy, q.PowerW), ct));
        return outcomes;
    }
}
