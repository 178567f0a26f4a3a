namespace Prepaid.Devices.Dlt645;

/// <summary>The error byte of an abnormal reply (D6 set, L = 1); 600888/dlt645 <c>ErrorCode</c>.</summary>
[Flags]
public enum Dlt645ErrorFlags : byte
{
    None = 0,
    Other = 0x01,
    NoRequestedData = 0x02,

    /// <summary>Wrong password or unauthorised; also what ESAM-secured meters answer to plain-text 1C.</summary>
    Unauthorised = 0x04,
    BaudRateNotChangeable = 0x08,
    YearTimeZonesExceeded = 0x10,
    DailyPeriodsExceeded = 0x20,
    TariffsExceeded = 0x40,
}
