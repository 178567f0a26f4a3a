namespace Prepaid.Devices.Simulator;

/// <summary>A day of simulated load: watts drawn in each hour and the tariff period (1..4 =
/// 尖 sharp, 峰 peak, 平 flat, 谷 valley) the meter books that hour to.</summary>
/// <param name="UtcOffset">The meter's local time zone; hours are meter-local, as tariffs are.</param>
public sealed record LoadProfile(int[] WattsByHour, int[] PeriodByHour, TimeSpan UtcOffset)
{
    /// <summary>A household-like day: low overnight, a morning bump, an evening peak. China time.</summary>
    public static LoadProfile Default { get; } = new(
        [300, 250, 200, 200, 200, 250, 600, 1200, 900, 700, 700, 800, 900, 700, 600, 600, 800, 1500, 2500, 3000, 2800, 2000, 1000, 500],
        [4, 4, 4, 4, 4, 4, 4, 4, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1, 2, 3, 4],
        TimeSpan.FromHours(8));

    /// <summary>The same load every hour, all booked to period 3: handy for exact test arithmetic.</summary>
    public static LoadProfile Constant(int watts) =>
        new(Enumerable.Repeat(watts, 24).ToArray(), Enumerable.Repeat(3, 24).ToArray(), TimeSpan.Zero);
}
