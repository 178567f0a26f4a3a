namespace Prepaid.Engine;

/// <summary>A reason a tariff is refused, with the JSON path of the field at fault (e.g. "versions[0].segments[2]").</summary>
public sealed record TariffProblem(string Field, string Reason, bool IsPriceCap = false);

/// <summary>Checks a tariff before it is stored: shapes, segments, tiers, and the price cap (R17).</summary>
public static class TariffRules
{
    /// <summary>
    /// Prices ≥ 0 with at most 4 decimals (R3); versions strictly ascending by EffectiveFrom;
    /// TOU: all four prices, segments that neither overlap nor leave a gap over the 24 h day;
    /// tiers: UpTo strictly ascending and positive, only the last null.
    /// R17: for electricity with a catalogue price, any price above catalogue × 1.15 is a problem flagged IsPriceCap.
    /// Field names follow the API's request (camelCase JSON paths).
    /// </summary>
    public static IReadOnlyList<TariffProblem> Validate(Tariff tariff, decimal? catalogPrice)
        => throw new NotImplementedException();
}
