namespace Prepaid.Devices.Metering;

/// <summary>A value a meter with local prepaid logic can be given: its four tariff prices, its two money alarm limits,
/// and its overload (power) limit.</summary>
public enum MeterParameter
{
    /// <summary>Tariff 1..4 = sharp, peak, flat, valley; 0.0001 yuan per unit.</summary>
    Price1,
    Price2,
    Price3,
    Price4,

    /// <summary>Money limits in fen.</summary>
    Alarm1,
    Alarm2,

    /// <summary>Power above which the meter trips, in W.</summary>
    OverloadLimit,
}

/// <summary>One value to write, as a scaled integer in the unit of <see cref="MeterParameter"/>.</summary>
public readonly record struct MeterParameterValue(MeterParameter Parameter, long Scaled);

public static class MeterParameters
{
    public static readonly MeterParameter[] Prices = [MeterParameter.Price1, MeterParameter.Price2, MeterParameter.Price3, MeterParameter.Price4];

    /// <summary>The camelCase name used in payloads and in <c>GET /api/meter-profiles</c>.</summary>
    public static string Name(this MeterParameter p) => p switch
    {
        MeterParameter.Price1 => "price1",
        MeterParameter.Price2 => "price2",
        MeterParameter.Price3 => "price3",
        MeterParameter.Price4 => "price4",
        MeterParameter.Alarm1 => "alarm1",
        MeterParameter.Alarm2 => "alarm2",
        _ => "overloadLimit",
    };

    public static MeterParameter? FromName(string? name) =>
        Enum.GetValues<MeterParameter>().Cast<MeterParameter?>().FirstOrDefault(p => p!.Value.Name() == name);

    /// <summary>Decimals of the value as people write it: prices 4 (yuan), money 2 (yuan), overload 3 (kW).</summary>
    public static int Decimals(this MeterParameter p) => p switch
    {
        MeterParameter.Alarm1 or MeterParameter.Alarm2 => 2,
        MeterParameter.OverloadLimit => 3,
        _ => 4,
    };
}
