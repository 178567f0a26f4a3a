using System.Globalization;
using Prepaid.Engine;

namespace Prepaid.Api.Common;

/// <summary>The API's text forms: amounts "95.00", quantities and prices as invariant decimals, ISO 8601 instants with offset.</summary>
public static class ApiFormat
{
    public static string Amount(long fen) => new Money(fen).ToString();

    public static string Decimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    public static bool TryDecimal(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    public static bool IsAmount(string? text) => Money.TryParse(text, out _);

    public static long Fen(string text) => Money.TryParse(text, out var m) ? m.Fen : throw new FormatException($"'{text}' is not an amount.");

    /// <summary>
    /// ISO 8601 with an explicit offset or Z, between 2000-01-01 and 2100-01-01 (<see cref="Limits"/>); a timestamp
    /// without offset is ambiguous and refused.
    /// </summary>
    public static bool TryInstant(string? text, out DateTimeOffset at)
    {
        at = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40) return false;
        var t = text.Trim();
        var hasOffset = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && (t[^6] is '+' or '-') && t[^3] == ':');
        return hasOffset && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out at) && Limits.InRange(at);
    }

    public const string InstantRule = "Must be an ISO 8601 instant with offset between 2000-01-01 and 2100-01-01, e.g. 2026-11-23T08:00:00+08:00.";

    public static DateTimeOffset Instant(string text) => TryInstant(text, out var at) ? at : throw new FormatException($"'{text}' is not an ISO 8601 instant with offset.");

    public static string Instant(long ms, TimeZoneInfo zone)
    {
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return TimeZoneInfo.ConvertTime(utc, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
    }

    public static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>Registers arrive with at most 3 decimals (0.001 m³ is the finest resolution stored); stored in thousandths.</summary>
    public static long Milli(decimal quantity) => (long)(quantity * 1000m);

    public static decimal FromMilli(long milli) => milli / 1000m;

    public static string Utility(Utility u) => u switch { Engine.Utility.Electricity => "electricity", Engine.Utility.Water => "water", _ => "heat" };

    public static bool TryUtility(string? text, out Utility u)
    {
        u = text switch { "electricity" => Engine.Utility.Electricity, "water" => Engine.Utility.Water, "heat" => Engine.Utility.Heat, _ => (Utility)(-1) };
        return (int)u >= 0;
    }

    public static string State(AccountState s) => s switch
    {
        AccountState.Normal => "normal",
        AccountState.Alarm1 => "alarm1",
        AccountState.Alarm2 => "alarm2",
        _ => "arrears",
    };

    public static AccountState ParseState(string s) => s switch
    {
        "normal" => AccountState.Normal,
        "alarm1" => AccountState.Alarm1,
        "alarm2" => AccountState.Alarm2,
        _ => AccountState.Arrears,
    };

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
