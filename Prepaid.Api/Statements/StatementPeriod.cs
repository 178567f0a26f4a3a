using System.Globalization;
using System.Text.RegularExpressions;

namespace Prepaid.Api.Statements;

/// <summary>
/// A statement's period by name, in the site's local calendar: a day (2026-11-05), a month (2026-11), a quarter (2026-Q4)
/// or a year (2026). Group names and <c>period=</c> use the same spelling.
/// </summary>
public static partial class StatementPeriod
{
    public const string Doc = "A year (2026), a quarter (2026-Q4), a month (2026-11) or a day (2026-11-05), in the site's zone; instead of from/to.";

    [GeneratedRegex(@"^(?<y>\d{4})(?:-Q(?<q>[1-4])|-(?<m>\d{2})(?:-(?<d>\d{2}))?)?$")]
    private static partial Regex Pattern();

    /// <summary>[start, end) as local wall-clock times, or null when the name is not a period between 2000 and 2099.</summary>
    public static (DateTime Start, DateTime End)? LocalBounds(string? name)
    {
        if (name is null) return null;
        var m = Pattern().Match(name);
        if (!m.Success) return null;
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (year is < 2000 or > 2099) return null;
        if (m.Groups["q"].Success)
        {
            var start = new DateTime(year, (int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture) - 1) * 3 + 1, 1);
            return (start, start.AddMonths(3));
        }
        if (m.Groups["d"].Success)
        {
            if (!DateTime.TryParseExact(name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return null;
            return (day, day.AddDays(1));
        }
        if (m.Groups["m"].Success)
        {
            var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12) return null;
            var start = new DateTime(year, month, 1);
            return (start, start.AddMonths(1));
        }
        return (new DateTime(year, 1, 1), new DateTime(year + 1, 1, 1));
    }
}
