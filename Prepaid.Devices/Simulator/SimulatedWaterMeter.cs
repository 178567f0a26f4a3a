namespace Prepaid.Devices.Simulator;

/// <summary>A water meter on a simulated M-Bus/RS-485 bus: constant flow while the valve is open.</summary>
public sealed class SimulatedWaterMeter
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;

    private readonly RateIntegrator _millilitres = new();
    private DateTimeOffset _settledUntil;
    private bool _valveClosed;

    public SimulatedWaterMeter(string address, TimeProvider time, long litresPerHour, long initialMillilitres = 0,
        byte meterType = 0x10)
    {
        Address = address;
        MeterType = meterType;
        LitresPerHour = litresPerHour;
        _time = time;
        _millilitres.Set(initialMillilitres);
        SettlementMillilitres = initialMillilitres;
        _settledUntil = time.GetUtcNow();
    }

    /// <summary>CJ/T 188 address, 14 digits.</summary>
    public string Address { get; }

    public byte MeterType { get; }

    public long LitresPerHour { get; }

    /// <summary>The settlement-day reading; the initial value unless a test sets it.</summary>
    public long SettlementMillilitres { get; set; }

    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(8);

    public bool BatteryLow { get; set; }

    /// <summary>ST1, vendor-defined; 0 unless a test sets it (the SC meter reports 0x84).</summary>
    public byte St1 { get; set; }

    /// <summary>Bits of ST0 outside the valve and battery fields that a vendor sets for reasons of its own (the SC meter's 0x20).</summary>
    public byte St0Vendor { get; set; }

    public bool ValveClosed { get { lock (_lock) { return _valveClosed; } } }

    public DateTime LocalNow => _time.GetUtcNow().ToOffset(UtcOffset).DateTime;

    public long ReadMillilitres()
    {
        lock (_lock)
        {
            Settle();
            return _millilitres.Total;
        }
    }

    public void SetValve(bool closed)
    {
        lock (_lock)
        {
            Settle();
            _valveClosed = closed;
        }
    }

    private void Settle()
    {
        var now = _time.GetUtcNow();
        while (_settledUntil < now)
        {
            var end = _settledUntil.AddHours(1) < now ? _settledUntil.AddHours(1) : now;
            if (!_valveClosed)
            {
                // mL per hour = L/h × 1000.
                _millilitres.Add(LitresPerHour * 1000, (end - _settledUntil).Ticks);
            }
            _settledUntil = end;
        }
    }
}
