namespace Prepaid.Devices.Simulator;

/// <summary>Names of the settings a simulated meter keeps for its local prepaid logic, whatever protocol wrote them.
/// Values are scaled integers: prices in 0.0001 yuan per unit, money limits in fen, the overload limit in W.</summary>
public static class MeterSettings
{
    public const string Price1 = "price1", Price2 = "price2", Price3 = "price3", Price4 = "price4";
    public const string Alarm1 = "alarm1", Alarm2 = "alarm2";
    public const string OverloadLimit = "overloadLimit";
}
