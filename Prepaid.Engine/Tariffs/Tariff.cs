namespace Prepaid.Engine;

public enum TierPeriod { Month, Year }

/// <summary>A tariff: effective-dated versions (R12), each flat (R10), time-of-use (R11) or tiered (R13).</summary>
public sealed record Tariff(Utility Utility, IReadOnlyList<TariffVersion> Versions);

public abstract record TariffVersion(DateTimeOffset EffectiveFrom);

public sealed record FlatVersion(DateTimeOffset EffectiveFrom, decimal Price) : TariffVersion(EffectiveFrom);

/// <summary>Segments in local time; To = 00:00 means midnight at the end of the day. Together they cover the day once.</summary>
public sealed record TouVersion(DateTimeOffset EffectiveFrom, IReadOnlyDictionary<Period, decimal> Prices, IReadOnlyList<TouSegment> Segments) : TariffVersion(EffectiveFrom);

public sealed record TouSegment(TimeOnly From, TimeOnly To, Period Period);

/// <summary>Tiers ascending by UpTo (cumulative quantity within the tier period); the last has UpTo null.</summary>
public sealed record TieredVersion(DateTimeOffset EffectiveFrom, TierPeriod Period, IReadOnlyList<Tier> Tiers) : TariffVersion(EffectiveFrom);

public sealed record Tier(decimal? UpTo, decimal Price);
