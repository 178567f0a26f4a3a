namespace Prepaid.Devices;

/// <summary>An electricity meter's energy registers at one instant, in integer Wh: total forward
/// active energy and periods 1..4 (尖 sharp, 峰 peak, 平 flat, 谷 valley).</summary>
public sealed record MeterEnergies(long TotalWh, long[] PeriodsWh);
