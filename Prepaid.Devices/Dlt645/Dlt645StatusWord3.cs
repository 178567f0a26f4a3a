namespace Prepaid.Devices.Dlt645;

/// <summary>Status word 3 (DI 04000503), the read-back that confirms a relay command.</summary>
/// <remarks>Bit map from protocols-notes §2.4 (code ids 26964394746, 9173808142). Keep-power at
/// bit 12 is [unverified] there; we expose it but nothing should depend on it until checked.</remarks>
public readonly record struct Dlt645StatusWord3(ushort Raw)
{
    public const ushort RelayOpenBit = 1 << 4;
    public const ushort RelayCommandOpenBit = 1 << 6;
    public const ushort PreTripAlarmBit = 1 << 7;
    public const ushort KeepPowerBit = 1 << 12;

    /// <summary>bit4: 0 = 通 (closed, supply on), 1 = 断 (open, supply cut).</summary>
    public bool RelayOpen => (Raw & RelayOpenBit) != 0;

    /// <summary>bit6: the last commanded state; differs from <see cref="RelayOpen"/> while the
    /// relay is still moving or waiting for the user to press the button (close-allowed).</summary>
    public bool RelayCommandOpen => (Raw & RelayCommandOpenBit) != 0;

    public bool PreTripAlarm => (Raw & PreTripAlarmBit) != 0;

    /// <summary>bits8–9: 0 non-prepaid, 1 energy-prepaid, 2 money-prepaid.</summary>
    public int MeterType => (Raw >> 8) & 0x03;

    public bool KeepPower => (Raw & KeepPowerBit) != 0;
}
