using System.Diagnostics;

namespace Prepaid.Api.Readings;

/// <summary>Where an ingest's time goes, step by step, summed over the batches it is given to; the benchmark prints it.</summary>
public sealed class IngestPhases
{
    readonly Dictionary<string, long> ticks = new();
    readonly List<string> order = new();

    /// <summary>Adds the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) to the phase; returns now, to start the next.</summary>
    public long Add(string phase, long started)
    {
        var now = Stopwatch.GetTimestamp();
        if (!ticks.ContainsKey(phase)) order.Add(phase);
        ticks[phase] = ticks.GetValueOrDefault(phase) + now - started;
        return now;
    }

    public IEnumerable<(string Phase, TimeSpan Time)> Totals => order.Select(p => (p, Stopwatch.GetElapsedTime(0, ticks[p])));
}
