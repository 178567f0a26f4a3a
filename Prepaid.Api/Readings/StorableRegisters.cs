using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>
/// What a stored reading can hold: registers in thousandths of a 64-bit integer, within the range the API admits.
/// The poller and the NB-IoT callbacks do not pass the API's validator, so ingest checks again.
/// </summary>
public static class StorableRegisters
{
    const decimal Limit = 1_000_000_000_000m;

    /// <summary>Why the registers cannot be stored, or null when they can.</summary>
    public static string? Problem(Registers r)
    {
        if (Bad(r.Total) || Bad(r.Sharp) || Bad(r.Peak) || Bad(r.Flat) || Bad(r.Valley))
            return "Registers must be non-negative, below 10^12, with at most 3 decimals (R5); the reading is kept as a reject, not stored.";
        return null;
    }

    static bool Bad(decimal? value) => value is { } v && (v < 0m || v >= Limit || decimal.Round(v, 3) != v);
}
