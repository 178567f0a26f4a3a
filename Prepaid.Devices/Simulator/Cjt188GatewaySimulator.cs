using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Simulator;

/// <summary>A TCP-to-M-Bus/RS-485 converter with CJ/T 188 water meters behind it, speaking one
/// vendor's dialect (<see cref="Cjt188Options"/>). Serves 901F reads and A017 valve control.</summary>
public sealed class Cjt188GatewaySimulator(IEnumerable<SimulatedWaterMeter> meters, Cjt188Options? options = null)
    : LoopbackServer
{
    private readonly SimulatedWaterMeter[] _meters = [.. meters];
    private readonly Cjt188Options _options = options ?? Cjt188Options.Default;

    protected override DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed)
    {
        var result = Cjt188Codec.Decode(buffer);
        consumed = result.Consumed;
        return result.Status;
    }

    protected override byte[]? Respond(byte[] request)
    {
        var frame = Cjt188Codec.Decode(request).Frame!;
        var meter = frame.IsReply ? null : Find(frame);
        if (meter is null)
        {
            return null;
        }
        var serial = frame.Data[2];
        Cjt188Frame reply;
        if (frame.Function == Cjt188Functions.ReadData && _options.ReadDataId(frame.Data) == Cjt188DataIds.CurrentData)
        {
            // The flow register holds 0.01 m³ = 10 L; the meter truncates, never rounds up.
            var scaled = meter.ReadMillilitres() / 10_000;
            reply = Cjt188Read.Reply(meter.MeterType, meter.Address, serial, scaled, meter.SettlementMillilitres / 10_000,
                meter.LocalNow, St0(meter), 0, _options);
        }
        else if (Cjt188Valve.TryParseRequest(frame, _options) is { } command)
        {
            meter.SetValve(command == Cjt188ValveCommand.Close);
            reply = Cjt188Valve.Reply(meter.MeterType, meter.Address, serial, St0(meter), 0, _options);
        }
        else
        {
            reply = Cjt188Valve.ErrorReply(meter.MeterType, meter.Address, frame.Function, serial, St0(meter), 0);
        }
        return Cjt188Codec.Encode(reply, preambleLength: 1);
    }

    private SimulatedWaterMeter? Find(Cjt188Frame frame)
    {
        if (frame.Data.Length < 3)
        {
            return null;
        }
        if (frame.Address == Cjt188Frame.WildcardAddress)
        {
            return _meters.Length == 1 ? _meters[0] : null;
        }
        return _meters.FirstOrDefault(m => m.Address == frame.Address
            && (frame.MeterType == m.MeterType || frame.MeterType == Cjt188MeterTypes.Any));
    }

    private byte St0(SimulatedWaterMeter meter) =>
        Cjt188Status.EncodeSt0(meter.ValveClosed ? Cjt188ValveState.Closed : Cjt188ValveState.Open, meter.BatteryLow, _options);
}
