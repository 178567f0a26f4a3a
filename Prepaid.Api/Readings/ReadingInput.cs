using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>
/// A reading the ingest path accepts: its meter resolved, its values parsed. <paramref name="Source"/> says where it came
/// from (<see cref="ReadingSources"/>); a person's reading (manual, import) names who entered it (R31). <paramref name="PowerW"/>
/// is the instantaneous power where the meter reports it, in W.
/// </summary>
public sealed record ReadingInput(long MeterId, DateTimeOffset At, Registers Registers, string Source = ReadingSources.Meter, long? EnteredBy = null,
    long? PowerW = null);

/// <summary>Where a reading came from: the meter (poller, NB-IoT, a gateway's push), a person (R31), or R30's estimate.</summary>
public static class ReadingSources
{
    public const string Meter = "meter", Manual = "manual", Import = "import", Estimate = "estimate";

    /// <summary>What an API client may say of its readings; estimates come only from R30's own pass.</summary>
    public static readonly string[] Given = [Meter, Manual];

    public static bool ByPerson(string source) => source is Manual or Import;
}

/// <summary>
/// What became of one reading. Status is the API's: baseline | billed | duplicate | late | suspect | rejected.
/// A reading queued behind a held one is stored as queued and answered as suspect with that reason.
/// </summary>
public sealed record ReadingOutcome(string Status, long? AmountFen = null, string? Reason = null);
