using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

/// <summary>Zones, instants and tariffs the engine tests share.</summary>
internal static class TestData
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>An instant on Shanghai's wall clock (UTC+8 all year).</summary>
    public static DateTimeOffset Cst(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    public static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LongAgo = Utc(2020, 1, 1);

    public static Tariff Flat(decimal price) => new(Utility.Electricity, [new FlatVersion(LongAgo, price)]);

    public static readonly Dictionary<Period, decimal> TouPrices = new()
    {
        [Period.Sharp] = 1.2m, [Period.Peak] = 1.0m, [Period.Flat] = 0.6m, [Period.Valley] = 0.3m,
    };

    /// <summary>
    /// A day of 2 h sharp, 6 h peak, 8 h flat and 8 h valley; the valley wraps midnight (23:00–07:00).
    /// </summary>
    public static readonly TouSegment[] TouDaySegments =
    [
        new(new(23, 0), new(7, 0), Period.Valley),
        new(new(7, 0), new(10, 0), Period.Flat),
        new(new(10, 0), new(15, 0), Period.Peak),
        new(new(15, 0), new(18, 0), Period.Flat),
        new(new(18, 0), new(19, 0), Period.Peak),
        new(new(19, 0), new(21, 0), Period.Sharp),
        new(new(21, 0), new(23, 0), Period.Flat),
    ];

    public static Tariff Tou(params TouSegment[] segments) =>
        new(Utility.Electricity, [new TouVersion(LongAgo, TouPrices, segments.Length == 0 ? TouDaySegments : segments)]);

    public static PricingRequest Request(Tariff tariff, DateTimeOffset from, DateTimeOffset to, decimal quantity,
        TimeZoneInfo? zone = null, IReadOnlyDictionary<Period, decimal>? periods = null, TierUsage? usage = null) =>
        new(tariff, zone ?? Shanghai, from, to, quantity, periods, usage ?? TierUsage.Empty);

    public static decimal QuantityOf(PricedDelta priced, string label) => priced.Lines.Where(l => l.Label == label).Sum(l => l.Quantity);
}
