using Prepaid.Devices.Metering;

namespace Prepaid.Devices.Dlt645;

/// <summary>Where a DL/T 645-2007 meter keeps the values of <see cref="MeterParameter"/>: tariff 1..4 prices 04050101..04
/// (XXXX.XXXX) and the alarm-1/alarm-2 money limits 04001001/02 (XXXXXX.XX), per the PMC340 map of protocols-notes §2.5.
/// No overload-limit DI is verified there, so none is mapped.</summary>
public static class Dlt645Parameters
{
    public static uint? DataId(MeterParameter parameter) => parameter switch
    {
        MeterParameter.Price1 => Dlt645Write.TariffPrice(1),
        MeterParameter.Price2 => Dlt645Write.TariffPrice(2),
        MeterParameter.Price3 => Dlt645Write.TariffPrice(3),
        MeterParameter.Price4 => Dlt645Write.TariffPrice(4),
        MeterParameter.Alarm1 => Dlt645Write.Alarm1Limit,
        MeterParameter.Alarm2 => Dlt645Write.Alarm2Limit,
        _ => null,
    };

    public static MeterParameter? FromDataId(uint dataId) =>
        Enum.GetValues<MeterParameter>().Cast<MeterParameter?>().FirstOrDefault(p => DataId(p!.Value) == dataId);
}
