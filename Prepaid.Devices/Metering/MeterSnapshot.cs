namespace Prepaid.Devices.Metering;

/// <summary>One poll of a meter, protocol-neutral.</summary>
/// <param name="TotalMilli">Register in thousandths of the billing unit: Wh for kWh, litres for m³.</param>
/// <param name="PeriodsMilli">Periods 1..4 (sharp, peak, flat, valley) when the model has them.</param>
/// <param name="SwitchOpen">Relay open or valve closed (supply cut); null when the model does not report it.</param>
/// <param name="KeepPower">保电 as the meter reports it; null when it does not.</param>
/// <param name="PowerW">Instantaneous active power in W where the model reports it (the overload alarm); null when it does not.</param>
public sealed record MeterSnapshot(long TotalMilli, long[]? PeriodsMilli, bool? SwitchOpen, bool? KeepPower = null, long? PowerW = null);

/// <summary>Where a meter sits on its bus and which model it is.</summary>
public sealed record MeterTarget(string Address, MeterProfile Profile);

/// <summary>What a command asks a meter to do.</summary>
public enum MeterAction
{
    Trip,
    Close,
    KeepPowerOn,
    KeepPowerOff,
    ValveOpen,
    ValveClose,

    /// <summary>Write parameters (prices, limits) and read each back; see <see cref="BusLink.PushParameterAsync"/>.</summary>
    PushParameters,
}

public static class MeterActions
{
    /// <summary>The switch state (open = supply cut) a confirmed action leaves, or null when it is not a switch.</summary>
    public static bool? ExpectedOpen(this MeterAction action) => action switch
    {
        MeterAction.Trip or MeterAction.ValveClose => true,
        MeterAction.Close or MeterAction.ValveOpen => false,
        _ => null,
    };

    /// <summary>The keep-power state a confirmed action leaves, or null.</summary>
    public static bool? ExpectedKeepPower(this MeterAction action) => action switch
    {
        MeterAction.KeepPowerOn => true,
        MeterAction.KeepPowerOff => false,
        _ => null,
    };
}
