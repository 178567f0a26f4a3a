namespace Prepaid.Engine;

/// <summary>What the engine needs to know of a meter to judge and bill its readings.</summary>
/// <param name="Multiplier">CT ratio (R2, R14): billed quantity = register delta × multiplier.</param>
/// <param name="RegisterMax">Where the register wraps (R7); 10^6 for six integer digits.</param>
/// <param name="RatedMaxPerHour">R8: the largest plausible register delta per hour.</param>
/// <param name="Resolution">The register's smallest step (0.01 kWh, 0.001 m³); R11's tolerance.</param>
public sealed record MeterSpec(Utility Utility, decimal Multiplier, decimal RegisterMax, decimal RatedMaxPerHour, decimal Resolution)
{
    /// <summary>R8 defaults: rated current × 230 V × phases × 1.2 for electricity; 5 m³/h × 1.2 for DN15–20 water.</summary>
    public static decimal DefaultRatedMaxPerHour(Utility utility, decimal ratedCurrentA = 60m, int phases = 1) => utility switch
    {
        Utility.Electricity => ratedCurrentA * 230m * phases * 1.2m / 1000m,
        Utility.Water => 5m * 1.2m,
        _ => 10m,
    };
}
