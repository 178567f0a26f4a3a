namespace Prepaid.Devices.Simulator;

/// <summary>An electricity meter on a simulated bus: energy rises along a <see cref="LoadProfile"/>
/// driven by an injected <see cref="TimeProvider"/>, and stops while the relay is open.</summary>
/// <remarks>
/// State is advanced lazily: every read or relay change first "settles" energy up to the
/// provider's now, hour segment by hour segment, so a test that moves a manual clock sees exactly
/// the energy the profile implies.
/// </remarks>
public sealed class SimulatedElectricMeter
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly RateIntegrator[] _periods = [new(), new(), new(), new()];
    private readonly long _initialTotalWh;
    private DateTimeOffset _settledUntil;
    private bool _relayOpen, _commandOpen, _keepPower, _alarm;

    public SimulatedElectricMeter(byte unitId, string address, TimeProvider time, LoadProfile? profile = null, long initialTotalWh = 0)
    {
        UnitId = unitId;
        Address = address;
        _time = time;
        Profile = profile ?? LoadProfile.Default;
        _initialTotalWh = initialTotalWh;
        _settledUntil = time.GetUtcNow();
    }

    /// <summary>Modbus slave address on the bus.</summary>
    public byte UnitId { get; }

    /// <summary>DL/T 645 address, 12 digits.</summary>
    public string Address { get; }

    public LoadProfile Profile { get; }

    /// <summary>DL/T 645 password (level 02) the meter accepts for 0x1C.</summary>
    public string Password { get; init; } = "000000";

    public bool RelayOpen { get { lock (_lock) { return _relayOpen; } } }

    /// <summary>Settings written over the bus (DL/T 645 0x14, Modbus FC 0x10) for the meter's local prepaid logic, by
    /// <see cref="MeterSettings"/> name, as scaled integers.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> Settings { get; } = new();

    /// <summary>A fault for tests: welded contacts. The meter reports the relay open but energy keeps flowing.</summary>
    public bool Welded { get; set; }

    /// <summary>A fault for tests: the total register reads this many Wh above what the period registers add up to.</summary>
    public long TotalSkewWh { get; set; }

    public bool CommandOpen { get { lock (_lock) { return _commandOpen; } } }

    public bool KeepPower { get { lock (_lock) { return _keepPower; } } }

    public bool Alarm { get { lock (_lock) { return _alarm; } } }

    /// <summary>The meter's local wall clock.</summary>
    public DateTime LocalNow => _time.GetUtcNow().ToOffset(Profile.UtcOffset).DateTime;

    /// <summary>Smallest step the registers show, in Wh (10 for a 0.01 kWh register). With a step above 1 the total
    /// is the sum of the stepped periods, as real meters compute it, so totals and periods agree exactly.</summary>
    public long RegisterStepWh { get; init; } = 1;

    public MeterEnergies ReadEnergies()
    {
        lock (_lock)
        {
            Settle();
            var step = RegisterStepWh;
            var periods = _periods.Select(p => p.Total / step * step).ToArray();
            return new MeterEnergies(_initialTotalWh / step * step + periods.Sum() + TotalSkewWh, periods);
        }
    }

    /// <summary>Opens the relay; refused (false) while keep-power (保电) holds.</summary>
    public bool Trip()
    {
        lock (_lock)
        {
            if (_keepPower)
            {
                return false;
            }
            Settle();
            _relayOpen = _commandOpen = true;
            return true;
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            Settle();
            _relayOpen = _commandOpen = false;
        }
    }

    /// <summary>合闸允许: the command state says closed, but the relay waits for the user.</summary>
    public void AllowClose()
    {
        lock (_lock)
        {
            _commandOpen = false;
        }
    }

    /// <summary>The user presses the meter's button: closes the relay if closing is allowed.</summary>
    public void PressButton()
    {
        lock (_lock)
        {
            if (!_commandOpen)
            {
                Settle();
                _relayOpen = false;
            }
        }
    }

    /// <summary>保电 on closes the relay and blocks trips until released.</summary>
    public void SetKeepPower(bool on)
    {
        lock (_lock)
        {
            Settle();
            _keepPower = on;
            if (on)
            {
                _relayOpen = _commandOpen = false;
            }
        }
    }

    public void SetAlarm(bool on)
    {
        lock (_lock)
        {
            _alarm = on;
        }
    }

    private void Settle()
    {
        var now = _time.GetUtcNow();
        var offset = Profile.UtcOffset;
        var t = _settledUntil;
        while (t < now)
        {
            var local = t.ToOffset(offset);
            var nextHour = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, offset).AddHours(1);
            var end = nextHour < now ? nextHour : now;
            if (!_relayOpen || Welded)
            {
                _periods[Profile.PeriodByHour[local.Hour] - 1].Add(Profile.WattsByHour[local.Hour], (end - t).Ticks);
            }
            t = end;
        }
        // A clock that moved backwards (manual test clock) must not un-meter energy.
        if (now > _settledUntil)
        {
            _settledUntil = now;
        }
    }
}
