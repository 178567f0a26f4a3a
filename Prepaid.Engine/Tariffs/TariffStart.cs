namespace Prepaid.Engine;

/// <summary>R12a: where a tariff's prices begin. Consumption before its first effective version has no price.</summary>
public static class TariffStart
{
    /// <summary>The earliest EffectiveFrom of the tariff's versions; null when it has none.</summary>
    public static DateTimeOffset? Of(Tariff tariff)
    {
        DateTimeOffset? first = null;
        foreach (var version in tariff.Versions)
            if (first is null || version.EffectiveFrom < first) first = version.EffectiveFrom;
        return first;
    }

    /// <summary>True when a version is effective at <paramref name="from"/>, so a delta starting there can be priced (R12, R12a).</summary>
    public static bool Prices(DateTimeOffset? start, DateTimeOffset from) => start is { } s && s <= from;
}
