using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>A reading the ingest path accepts: its meter resolved, its values parsed.</summary>
public sealed record ReadingInput(long MeterId, DateTimeOffset At, Registers Registers);

/// <summary>
/// What became of one reading. Status is the API's: baseline | billed | duplicate | late | suspect | rejected.
/// A reading queued behind a held one is stored as queued and answered as suspect with that reason.
/// </summary>
public sealed record ReadingOutcome(string Status, long? AmountFen = null, string? Reason = null);
