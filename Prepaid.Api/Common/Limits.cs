using System.Text.Json;
using Prepaid.Engine;

namespace Prepaid.Api.Common;

/// <summary>
/// The ranges and lengths every request field is held to (listed for clients in Common/README.md and in the OpenAPI
/// schema). They are what a real site needs with room to spare: anything beyond them is a typo or an attack, and
/// refusing it at the door keeps the engine's arithmetic and the database far from overflow.
/// </summary>
public static class Limits
{
    public const int Name = 100;
    public const int Code = 64;
    public const int Note = 500;
    public const int Username = 100;
    public const int PasswordMin = 8;
    public const int PasswordMax = 128;
    public const int Key = 100;
    public const int Url = 2000;
    public const int TimeZone = 64;
    public const int Phone = 20;
    public const int QueryText = 100;
    /// <summary>Free-form JSON kept for the device layer (a meter's connection, a gateway's settings, a command's payload), as sent.</summary>
    public const int JsonChars = 4096;
    public const int IdsPerList = 10_000;
    public const int MetersPerAccount = 100;
    public const int Shares = 10_000;
    public const int TariffVersions = 100;
    public const int TouSegments = 96;
    public const int Tiers = 20;
    public const int Holidays = 400;

    public const string AmountDoc = "An amount in CNY as a string with at most 2 decimals, 0.01 … 1000000.00, e.g. \"100.00\".";
    public const string ThresholdDoc = "An amount in CNY as a string with at most 2 decimals, -1000000.00 … 1000000.00.";
    public const string InstantDoc = "ISO 8601 with offset, 2000-01-01 … 2100-01-01, e.g. \"2026-11-23T08:00:00+08:00\".";

    // Shapes of the text fields that carry numbers, times and names from a list, as patterns for the OpenAPI
    // document. The validators decide (ranges are in their messages); a value of another shape is always refused.
    public const string AmountPattern = @"^-?\d{1,7}(\.\d{1,2})?$";
    public const string PositiveAmountPattern = @"^\d{1,7}(\.\d{1,2})?$";
    public const string InstantPattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}:\d{2})$";
    public const string DayPattern = @"^\d{4}-\d{2}-\d{2}$";
    public const string TimePattern = @"^\d{2}:\d{2}$";
    public const string PricePattern = @"^\d{1,3}(\.\d{1,4})?$";
    public const string RegisterPattern = @"^\d{1,12}(\.\d{1,3})?$";
    public const string UtilityPattern = "^(electricity|water|heat)$";
    public const string PowerPattern = @"^\d{1,6}(\.\d{1,3})?$";

    public const string PowerDoc = "Power in kW as a string, 0 … 100000, at most 3 decimals, e.g. \"5.500\".";
    public const string PowerRule = "Must be a power in kW from 0 to 100000 with at most 3 decimals.";

    /// <summary>1,000,000.00 per top-up, payment or refund; thresholds and overdrafts within ± the same.</summary>
    public static readonly Money MaxAmount = new(100_000_000);

    /// <summary>Instants from 2000-01-01 to 2100-01-01 (UTC): far enough for any meter clock, near enough for every zone and sum.</summary>
    public static readonly DateTimeOffset EarliestInstant = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset LatestInstant = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly EarliestDay = new(2000, 1, 1);
    public static readonly DateOnly LatestDay = new(2099, 12, 31);

    public const decimal MultiplierMax = 10_000m;
    public const decimal RatedCurrentMaxA = 10_000m;
    public const decimal RatedMaxPerHourMax = 100_000m;
    public const int RegisterMaxDigits = 12;
    public const decimal AreaMaxM2 = 1_000_000m;
    public const decimal WeightMax = 1_000_000m;
    public const decimal QuantityMax = 1_000_000_000m;
    /// <summary>kW: a reading's power and a meter's overload limit (100 MW is far beyond any sub-meter).</summary>
    public const decimal PowerMaxKw = 100_000m;
    /// <summary>Rows of one reading import, as readings of one call (R31).</summary>
    public const int ImportRows = 10_000;
    /// <summary>Bytes of one import file: 10,000 rows of an .xlsx or .csv fit in far less.</summary>
    public const int ImportBytes = 10 * 1024 * 1024;
    /// <summary>Days before a calibration is due at which its alarm is raised.</summary>
    public const int CalibrationWarningDaysMax = 365;

    public static bool InRange(DateTimeOffset at) => at >= EarliestInstant && at < LatestInstant;

    public static bool InRange(DateOnly day) => day >= EarliestDay && day <= LatestDay;

    public const string DayRule = "Must be a day yyyy-MM-dd from 2000-01-01 to 2099-12-31.";

    /// <summary>A day yyyy-MM-dd within <see cref="EarliestDay"/> … <see cref="LatestDay"/>.</summary>
    public static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out day) && InRange(day);

    /// <summary>An amount with at most two decimals within ± <see cref="MaxAmount"/>; positive or non-negative as asked.</summary>
    public static bool IsAmount(string? text, long minFen = -100_000_000) =>
        Money.TryParse(text, out var m) && m.Fen >= minFen && m <= MaxAmount;

    /// <summary>A decimal in [min, max] (or (min, max]) with at most <paramref name="decimals"/> decimals.</summary>
    public static bool IsDecimal(string? text, decimal min, decimal max, int decimals, bool minExclusive = false) =>
        ApiFormat.TryDecimal(text, out var v) && (minExclusive ? v > min : v >= min) && v <= max && decimal.Round(v, decimals) == v;

    /// <summary>A power in kW, 0 … <see cref="PowerMaxKw"/>, at most 3 decimals (so a whole number of W).</summary>
    public static bool IsPower(string? text) => IsDecimal(text, 0m, PowerMaxKw, 3);

    /// <summary>kW text (already checked by <see cref="IsPower"/>) as whole W.</summary>
    public static long Watts(string kw) => (long)(ApiFormat.ParseDecimal(kw) * 1000m);

    /// <summary>10, 100, … 10^12: a register wraps at a power of ten.</summary>
    public static bool IsRegisterMax(string? text)
    {
        if (!ApiFormat.TryDecimal(text, out var v)) return false;
        for (decimal p = 10m, k = 1; k <= RegisterMaxDigits; p *= 10m, k++)
            if (v == p) return true;
        return false;
    }

    /// <summary>Free-form JSON: an object (or nothing) of at most <see cref="JsonChars"/> characters.</summary>
    public static bool IsSmallObject(JsonElement? e) =>
        e is null || e.Value.ValueKind == JsonValueKind.Null || (e.Value.ValueKind == JsonValueKind.Object && e.Value.GetRawText().Length <= JsonChars);
}
