namespace Prepaid.Engine;

/// <summary>The inputs for pricing one billable delta between two readings.</summary>
/// <param name="Quantity">Total quantity after multiplier.</param>
/// <param name="PeriodQuantities">Per-period quantities (R11) when the meter reports period registers; else null.</param>
public sealed record PricingRequest(
    Tariff Tariff,
    TimeZoneInfo Zone,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal Quantity,
    IReadOnlyDictionary<Period, decimal>? PeriodQuantities,
    TierUsage Usage);

/// <summary>One priced piece of a delta, for the ledger's detail and the account's statement.</summary>
public sealed record PriceLine(DateTimeOffset From, DateTimeOffset To, string Label, decimal Quantity, decimal Price, decimal Cost);

/// <summary>Exact (unrounded) cost, its lines, and the tier usage after this delta.</summary>
public sealed record PricedDelta(decimal Cost, IReadOnlyList<PriceLine> Lines, TierUsage UsageAfter);

/// <summary>R10–R14: prices a delta exactly, with no rounding (R4 rounds only where the ledger posts).</summary>
public static class Pricing
{
    /// <summary>
    /// Splits [From, To) at version boundaries (R12) in proportion to time; per version:
    /// flat (R10); TOU (R11) by period quantities when given, otherwise by local-time segments in Zone with
    /// constant power; tiered (R13) split first at tier-period boundaries (R12), then at tier limits using Usage.
    /// Time-proportional shares are computed so they add up exactly to the whole (the last piece takes the rest).
    /// Throws when no version is effective at From.
    /// </summary>
    public static PricedDelta Price(PricingRequest request)
        => throw new NotImplementedException();
}
