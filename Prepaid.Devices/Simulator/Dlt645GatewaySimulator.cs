using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;

namespace Prepaid.Devices.Simulator;

/// <summary>A TCP-to-RS-485 converter with DL/T 645-2007 meters behind it. Serves energy (total,
/// periods 1..4, the block), status word 3, and 0x1C relay control with valid-until checking.</summary>
public sealed class Dlt645GatewaySimulator(IEnumerable<SimulatedElectricMeter> meters) : LoopbackServer
{
    // Bits 8–9 = 01: an energy-prepaid meter.
    private const ushort PrepaidMeterType = 0x0100;

    private readonly SimulatedElectricMeter[] _meters = [.. meters];

    protected override DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed)
    {
        var result = Dlt645Codec.Decode(buffer);
        consumed = result.Consumed;
        return result.Status;
    }

    protected override byte[]? Respond(byte[] request)
    {
        var frame = Dlt645Codec.Decode(request).Frame!;
        if (frame.IsReply || frame.Address == Dlt645Frame.BroadcastAddress)
        {
            return null;
        }
        var meter = Find(frame.Address);
        if (meter is null)
        {
            return null;
        }
        var reply = frame.Function switch
        {
            Dlt645Functions.ReadData => Read(meter, frame),
            Dlt645Functions.RelayControl => Control(meter, frame),
            Dlt645Write.Function => Write(meter, frame),
            _ => null,
        };
        // Meters reply with a short FE preamble too; clients must skip it.
        return reply is null ? null : Dlt645Codec.Encode(reply, preambleLength: 2);
    }

    private SimulatedElectricMeter? Find(string address)
    {
        if (address == Dlt645Frame.WildcardAddress)
        {
            // Wildcard only makes sense on a point-to-point link: answer if exactly one meter.
            return _meters.Length == 1 ? _meters[0] : null;
        }
        return _meters.FirstOrDefault(m => m.Address == address);
    }

    private static Dlt645Frame Read(SimulatedElectricMeter meter, Dlt645Frame frame)
    {
        if (frame.Data.Length != 4)
        {
            return Dlt645Read.ErrorReply(meter.Address, Dlt645ErrorFlags.Other);
        }
        var dataId = (uint)(frame.Data[0] | frame.Data[1] << 8 | frame.Data[2] << 16 | frame.Data[3] << 24);
        var energies = meter.ReadEnergies();
        byte[]? value = dataId switch
        {
            Dlt645DataIds.ForwardActiveTotal or Dlt645DataIds.CombinedActiveTotal => Dlt645Values.EnergyWh(energies.TotalWh),
            >= 0x0001_0100 and <= 0x0001_0400 when (dataId & 0xFF) == 0 =>
                Dlt645Values.EnergyWh(energies.PeriodsWh[(int)((dataId >> 8) & 0xFF) - 1]),
            Dlt645DataIds.ForwardActiveBlock =>
                [.. Dlt645Values.EnergyWh(energies.TotalWh), .. energies.PeriodsWh.SelectMany(Dlt645Values.EnergyWh)],
            Dlt645DataIds.StatusWord3 => Dlt645Values.StatusWord(StatusWord3(meter)),
            _ when meter.Parameters.TryGetValue(dataId, out var scaled) => new Dlt645Parameter(dataId, scaled).Bytes(),
            _ => null,
        };
        return value is null
            ? Dlt645Read.ErrorReply(meter.Address, Dlt645ErrorFlags.NoRequestedData)
            : Dlt645Read.Reply(meter.Address, dataId, value);
    }

    private static ushort StatusWord3(SimulatedElectricMeter meter)
    {
        var word = PrepaidMeterType;
        word |= meter.RelayOpen ? Dlt645StatusWord3.RelayOpenBit : (ushort)0;
        word |= meter.CommandOpen ? Dlt645StatusWord3.RelayCommandOpenBit : (ushort)0;
        word |= meter.Alarm ? Dlt645StatusWord3.PreTripAlarmBit : (ushort)0;
        word |= meter.KeepPower ? Dlt645StatusWord3.KeepPowerBit : (ushort)0;
        return word;
    }

    private static Dlt645Frame Write(SimulatedElectricMeter meter, Dlt645Frame frame)
    {
        if (Dlt645Write.TryParseRequest(frame) is not { } write)
        {
            return Dlt645Write.ErrorReply(meter.Address, Dlt645ErrorFlags.Other);
        }
        if (write.Password != meter.Password)
        {
            return Dlt645Write.ErrorReply(meter.Address, Dlt645ErrorFlags.Unauthorised);
        }
        meter.Parameters[write.Parameter.DataId] = write.Parameter.Scaled;
        return Dlt645Write.Reply(meter.Address);
    }

    private static Dlt645Frame Control(SimulatedElectricMeter meter, Dlt645Frame frame)
    {
        var command = Dlt645Relay.TryParseRequest(frame);
        if (command is null)
        {
            return Dlt645Relay.ErrorReply(meter.Address, Dlt645ErrorFlags.Other);
        }
        if (command.Credentials.Password != meter.Password)
        {
            return Dlt645Relay.ErrorReply(meter.Address, Dlt645ErrorFlags.Unauthorised);
        }
        // An expired (or unreadable) valid-until time is refused, as firmware's JudgeContrlTime does.
        if (command.ValidUntil is not { } validUntil || validUntil < meter.LocalNow)
        {
            return Dlt645Relay.ErrorReply(meter.Address, Dlt645ErrorFlags.Other);
        }
        var accepted = true;
        switch (command.Action)
        {
            case Dlt645RelayAction.Trip:
                accepted = meter.Trip();
                break;
            case Dlt645RelayAction.CloseAllowed:
                meter.AllowClose();
                break;
            case Dlt645RelayAction.DirectClose:
                meter.Close();
                break;
            case Dlt645RelayAction.AlarmOn or Dlt645RelayAction.AlarmOff:
                meter.SetAlarm(command.Action == Dlt645RelayAction.AlarmOn);
                break;
            case Dlt645RelayAction.KeepPowerOn or Dlt645RelayAction.KeepPowerOff:
                meter.SetKeepPower(command.Action == Dlt645RelayAction.KeepPowerOn);
                break;
            default:
                accepted = false;
                break;
        }
        return accepted ? Dlt645Relay.Reply(meter.Address) : Dlt645Relay.ErrorReply(meter.Address, Dlt645ErrorFlags.Other);
    }
}
