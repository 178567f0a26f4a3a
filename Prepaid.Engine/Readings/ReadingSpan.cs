namespace Prepaid.Engine;

/// <summary>
/// R9b: the longest interval a delta may span to be priced. No meter goes unread for longer; a reading that claims to
/// (a clock decades off, a year 9999 timestamp) is an absurd value, held for an operator rather than priced over
/// centuries of tariff periods.
/// </summary>
public static class ReadingSpan
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(3653);

    public static bool IsPlausible(DateTimeOffset from, DateTimeOffset to) => to - from <= Longest;
}
