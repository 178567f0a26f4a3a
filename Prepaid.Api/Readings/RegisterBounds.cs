using System.Globalization;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>
/// Registers a meter can show and a stored reading can hold: non-negative, below the meter's register maximum (R7),
/// in thousandths of a 64-bit integer within the range the API admits. The poller and the NB-IoT callbacks do not pass
/// the API's validator, so ingest checks again.
/// </summary>
public static class RegisterBounds
{
    const decimal Limit = 1_000_000_000_000m;

    /// <summary>Why the registers cannot be a reading of the meter, or null when they can.</summary>
    public static string? Problem(Registers r, decimal registerMax)
    {
        if (Bad(r.Total) || Bad(r.Sharp) || Bad(r.Peak) || Bad(r.Flat) || Bad(r.Valley))
            return "Registers must be non-negative, below 10^12, with at most 3 decimals (R5); the reading is kept as a reject, not stored.";
        if (r.Total >= registerMax || r.Sharp >= registerMax || r.Peak >= registerMax || r.Flat >= registerMax || r.Valley >= registerMax)
            return $"A register of this meter wraps at {registerMax.ToString(CultureInfo.InvariantCulture)} (R7), so it cannot read that much; the reading is kept as a reject, not stored.";
        return null;
    }

    /// <summary>The register (total, sharp, peak, flat, valley) that breaks <see cref="Problem"/> first, to name it; null when none does.</summary>
    public static string? Field(Registers r, decimal registerMax)
    {
        foreach (var (name, value) in new[] { ("total", (decimal?)r.Total), ("sharp", r.Sharp), ("peak", r.Peak), ("flat", r.Flat), ("valley", r.Valley) })
            if (Bad(value) || value >= registerMax) return name;
        return null;
    }

    static bool Bad(decimal? value) => value is { } v && (v < 0m || v >= Limit || decimal.Round(v, 3) != v);
}
