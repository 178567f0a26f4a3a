using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Simulator;

/// <summary>The meters on one simulated RS-485 bus, by unit id.</summary>
public sealed class ModbusBus
{
    private readonly Dictionary<byte, ModbusMeterSlave> _slaves;

    public ModbusBus(IEnumerable<SimulatedElectricMeter> meters, ModbusMeterProfile? profile = null)
    {
        Profile = profile ?? ModbusMeterProfile.Generic;
        _slaves = meters.ToDictionary(m => m.UnitId, m => new ModbusMeterSlave(m, Profile));
    }

    public ModbusMeterProfile Profile { get; }

    /// <summary>The reply PDU, or null when no meter answers (absent unit, broadcast).</summary>
    public byte[]? Handle(byte unit, byte[] requestPdu)
    {
        var decoded = ModbusPdu.DecodeRequest(requestPdu);
        if (unit == 0)
        {
            // Broadcast: every meter acts on writes, none replies.
            if (decoded.Request is { } broadcast)
            {
                foreach (var slave in _slaves.Values)
                {
                    slave.Handle(broadcast);
                }
            }
            return null;
        }
        if (!_slaves.TryGetValue(unit, out var target))
        {
            return null;
        }
        if (decoded.Request is not { } request)
        {
            var function = requestPdu.Length > 0 ? requestPdu[0] : (byte)0;
            return [(byte)(function | ModbusFunctions.ExceptionFlag), (byte)decoded.Rejection];
        }
        return ModbusPdu.EncodeResponse(target.Handle(request));
    }
}
