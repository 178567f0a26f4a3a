namespace Prepaid.Devices.Simulator;

/// <summary>Integrates a per-hour rate over time exactly, in integers: rate × ticks builds up in a
/// remainder and whole units move out, so no rounding error accumulates however often the meter
/// is read. (Floating point would drift, and the same load would bill differently.)</summary>
/// <remarks>Watts in → Wh out; mL/h in → mL out.</remarks>
internal sealed class RateIntegrator
{
    private long _remainder;

    public long Total { get; private set; }

    /// <summary>Adds <paramref name="ratePerHour"/> held for <paramref name="ticks"/>. Callers pass at
    /// most an hour per call, so rate × ticks stays far inside a long.</summary>
    public void Add(long ratePerHour, long ticks)
    {
        _remainder += ratePerHour * ticks;
        Total += _remainder / TimeSpan.TicksPerHour;
        _remainder %= TimeSpan.TicksPerHour;
    }

    public void Set(long total) => Total = total;
}
