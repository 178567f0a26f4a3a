using System.Diagnostics;
using Dapper;
using Prepaid.Api.Devices;
using Prepaid.Api.Readings;
using Prepaid.Devices.Simulator;

namespace Prepaid.Bench;

/// <summary>
/// Sweeps 10,000 simulated meters on 500 Modbus TCP gateways (one bus of 20 each, 9600 Bd wire timing) with the real
/// poller — reads, meter status, readings through the ingest path — and prints the sweep time and the CPU it took.
/// The simulators run in a child process (<c>--simulators inline</c> keeps them in this one), so the CPU shown is the
/// poller's own; the profile after the sweeps runs the parts alone (the reads with nothing written, the meter-status
/// write, the ingest batch), each measured by this process's CPU while nothing else runs in it.
/// </summary>
public static class PollBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        var meters = options.Int("meters", 10_000);
        var gateways = options.Int("gateways", 500);
        var baud = options.Int("baud", 9600);
        var warmup = options.Int("warmup", 10);
        var sweeps = options.Int("sweeps", 6);
        var inline = options.Values.GetValueOrDefault("simulators") == "inline";
        // Accounts on every meter (--accounts false: none), and a load that moves every register between two sweeps
        // (1-2 s apart here, a minute on a site): a register that does not move bills nothing.
        var accounts = options.Values.GetValueOrDefault("accounts") != "false";
        var watts = options.Int("watts", 40_000);
        var perBus = meters / gateways;
        var timing = new WireTiming(baud, 5);
        Console.WriteLine($"poll: {perBus * gateways:N0} meters on {gateways} Modbus TCP gateways ({perBus} per bus), {baud} Bd wire timing, {Environment.ProcessorCount} CPUs, " +
            $"simulators {(inline ? "in this process" : "in a child process")}, {watts / 1000.0:0.#} kW a meter; " +
            (accounts ? "every meter on an account of its own (time-of-use tariff): each reading is priced and debited" : "no accounts: readings are stored, not billed"));
        using var child = inline ? null : await SimulatorProcess.StartAsync(gateways, perBus, "modbusTcp", timing, watts);
        await using var rig = child is null
            ? await DeviceRig.CreateAsync(gateways, perBus, "modbusTcp", timing, watts, accounts)
            : await DeviceRig.OverAsync(child.Ports, perBus, "modbusTcp", accounts: accounts);
        var wire = TimeSpan.FromSeconds(perBus * (8 + 5 + 2 * 11) * 10.0 / baud) + TimeSpan.FromMilliseconds(perBus * 5);

        // A poller runs for months: the steady state is what counts. A method the sweep calls once per joined write (about
        // seven a sweep) needs 30 calls at tier 0 and 30 more instrumented before tier 1, about nine sweeps, so the first ten
        // are warm-up, shown but not in the profile; each line shows the JIT time it still took (background tier-up included),
        // so whatever tiering is left in a measured sweep is in plain sight.
        Console.WriteLine($"  sweeps 1..{warmup} warm up (connects, JIT tier-up), {warmup + 1}..{warmup + sweeps} are measured:");
        var full = new List<Sample>();
        for (var sweep = 1; sweep <= warmup + sweeps; sweep++)
        {
            var sample = await Sample.TakeAsync(rig, child, () => rig.Poller.SweepAllAsync());
            if (sweep > warmup) full.Add(sample);
            await using var connection = await rig.Db.OpenAsync();
            var readings = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings WHERE status <> 'baseline'");
            var billed = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings WHERE status = 'billed' AND amount_fen > 0");
            var online = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_status WHERE online = 1 AND missed_polls = 0");
            Console.WriteLine($"  sweep {sweep}{(sweep <= warmup ? " (warm-up)" : "")}: {sample.Wall.TotalSeconds:0.000} s = {sample.Wall / wire:0.00} × the floor, " +
                $"CPU {sample.Cpu.TotalSeconds:0.00} s = {sample.Cpu / sample.Wall * 100:0}% of one core (JIT {sample.Jit.TotalMilliseconds:0} ms, {sample.JitMethods:N0} methods); " +
                $"simulators' CPU {sample.SimulatorCpu.TotalSeconds:0.00} s{(child is null ? " (inside the figure before)" : " (not in it)")}; " +
                $"{online:N0} meters answered, {readings:N0} readings stored so far ({billed:N0} debited)");
            // A second sweep inside the same second would be a duplicate reading instant; real buses poll every minute.
            await Task.Delay(1100);
        }
        Console.WriteLine($"  one bus's wire time for {perBus} reads (the floor of a sweep, buses in parallel): {wire.TotalSeconds:0.000} s");

        // The same work taken apart, each piece alone in this process so its CPU is its own: the reads with nothing written,
        // then their outcomes written as one meter-status transaction, then their readings as one ingest batch.
        var readOnly = new List<Sample>();
        var statusOnly = new List<Sample>();
        var ingestOnly = new List<Sample>();
        // Round 0 warms up what only this loop runs (its own read loop and batch shapes) and is not counted.
        for (var i = 0; i <= 3; i++)
        {
            await Task.Delay(1100);
            var outcomes = new List<PollOutcome>();
            var read = await Sample.TakeAsync(rig, child, async () => outcomes = await ReadEveryMeterAsync(rig));
            var status = await Sample.TakeAsync(rig, child, () => rig.Status.RecordAsync(outcomes, 3));
            var at = DateTimeOffset.UtcNow;
            ReadingInput[] readings = [.. outcomes.Select(o => new ReadingInput(o.Meter.MeterId, at, BusPoller.ToRegisters(o.Meter, o.Result.Value!)))];
            var ingest = await Sample.TakeAsync(rig, child, () => rig.Ingestor.IngestAsync(readings));
            if (i == 0) continue;
            readOnly.Add(read);
            statusOnly.Add(status);
            ingestOnly.Add(ingest);
        }

        Console.WriteLine($"  profile (wall; CPU of this process; JIT time within it; bytes allocated; thread-pool work items; lock contentions), " +
            $"sweeps {warmup + 1}..{warmup + sweeps} and 3 rounds of the parts alone after one of warm-up:");
        Console.WriteLine("  | phase | wall s | CPU s | JIT s | allocated MB | work items | contentions |");
        Console.WriteLine("  | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        Row("whole sweep", Sample.Mean(full));
        Row("  wire: every meter read, nothing written", Sample.Mean(readOnly));
        Row("  meter status: one transaction of all outcomes", Sample.Mean(statusOnly));
        Row("  ingest: one batch of all readings (after the status: loads afresh)", Sample.Mean(ingestOnly));
        Row("  the rest (sweep − the parts: scheduling, group commit, batches)", Sample.Mean(full) - Sample.Mean(readOnly) - Sample.Mean(statusOnly) - Sample.Mean(ingestOnly));
        foreach (var (phase, time) in Sample.Mean(full).Phases)
            Console.WriteLine($"  |     in the sweeps' writes, {phase} | {time.TotalSeconds:0.000} | | | | | |");
        Console.WriteLine($"  joined writes per sweep: {Sample.Mean(full).Writes:N0}; ingest transactions per sweep that started from the state the one before left " +
            $"(the ingest's kept state; the buses' poll stamp is one): {Sample.Mean(full).Kept:N0}");
        // The reads alone show what the simulators, loopback and this machine's scheduling deliver: no sweep ends sooner.
        Console.WriteLine($"  the reads alone, nothing written: {Sample.Mean(readOnly).Wall.TotalSeconds:0.000} s = {Sample.Mean(readOnly).Wall / wire:0.00} × the floor; " +
            $"the sweeps: {Sample.Mean(full).Wall / Sample.Mean(readOnly).Wall:0.00} × the reads alone, CPU {Sample.Mean(full).Cpu / Sample.Mean(full).Wall * 100:0}% of one core");
    }

    static void Row(string phase, Sample s) =>
        Console.WriteLine($"  | {phase} | {s.Wall.TotalSeconds:0.000} | {s.Cpu.TotalSeconds:0.000} | {s.Jit.TotalSeconds:0.000} | {s.Allocated / 1e6:0.0} | {s.WorkItems:N0} | {s.Contentions:N0} |");

    /// <summary>The lanes without their writes: every meter read once, buses in parallel, as <see cref="BusPoller"/> reads them.</summary>
    static async Task<List<PollOutcome>> ReadEveryMeterAsync(DeviceRig rig)
    {
        List<BusPlan> buses;
        ILookup<long?, ConnectedMeter> meters;
        await using (var connection = await rig.Db.OpenAsync())
        {
            buses = await DeviceDirectory.BusesAsync(connection);
            meters = (await DeviceDirectory.MetersOnBusesAsync(connection)).ToLookup(m => m.BusId);
        }
        var now = DateTimeOffset.UtcNow;
        var lanes = await Task.WhenAll(buses.Select(b => Task.Run(async () =>
        {
            var link = rig.Links.For(b.BusId, b.Endpoint(now));
            var outcomes = new List<PollOutcome>();
            foreach (var m in meters[b.BusId])
            {
                var result = await link.ReadAsync(m.Target);
                if (!result.IsOk) throw new InvalidOperationException($"meter {m.MeterId} did not answer: {result.Status}");
                outcomes.Add(new PollOutcome(m, result));
            }
            return outcomes;
        })));
        return [.. lanes.SelectMany(l => l)];
    }

    /// <param name="Jit">Time this process spent compiling methods (all threads), part of <paramref name="Cpu"/>.</param>
    sealed record Sample(TimeSpan Wall, TimeSpan Cpu, TimeSpan SimulatorCpu, long Allocated, long WorkItems, long Contentions, (string Phase, TimeSpan Time)[] Phases,
        long Writes = 0, TimeSpan Jit = default, long JitMethods = 0, long Kept = 0)
    {
        public static async Task<Sample> TakeAsync(DeviceRig rig, SimulatorProcess? child, Func<Task> sweep)
        {
            var process = Process.GetCurrentProcess();
            var phasesBefore = rig.Phases.Totals.ToDictionary(p => p.Phase, p => p.Time);
            var simBefore = child?.Cpu ?? TimeSpan.Zero;
            var allocBefore = GC.GetTotalAllocatedBytes(precise: true);
            var itemsBefore = ThreadPool.CompletedWorkItemCount;
            var contentionsBefore = Monitor.LockContentionCount;
            var writesBefore = rig.Poller.Writes;
            var keptBefore = rig.Ingestor.BatchesOnKeptState;
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            var jitMethodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await sweep();
            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var phases = rig.Phases.Totals.Select(p => (p.Phase, p.Time - phasesBefore.GetValueOrDefault(p.Phase))).ToArray();
            return new Sample(clock.Elapsed, cpu, (child?.Cpu ?? TimeSpan.Zero) - simBefore, GC.GetTotalAllocatedBytes(precise: true) - allocBefore,
                ThreadPool.CompletedWorkItemCount - itemsBefore, Monitor.LockContentionCount - contentionsBefore, phases, rig.Poller.Writes - writesBefore,
                System.Runtime.JitInfo.GetCompilationTime() - jitBefore, System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethodsBefore,
                rig.Ingestor.BatchesOnKeptState - keptBefore);
        }

        public static Sample Mean(List<Sample> samples)
        {
            var n = samples.Count;
            return new Sample(samples.Aggregate(TimeSpan.Zero, (a, s) => a + s.Wall) / n, samples.Aggregate(TimeSpan.Zero, (a, s) => a + s.Cpu) / n,
                samples.Aggregate(TimeSpan.Zero, (a, s) => a + s.SimulatorCpu) / n, samples.Sum(s => s.Allocated) / n, samples.Sum(s => s.WorkItems) / n,
                samples.Sum(s => s.Contentions) / n,
                [.. samples.SelectMany(s => s.Phases).GroupBy(p => p.Phase).Select(g => (g.Key, g.Aggregate(TimeSpan.Zero, (a, p) => a + p.Time) / n))],
                samples.Sum(s => s.Writes) / n, samples.Aggregate(TimeSpan.Zero, (a, s) => a + s.Jit) / n, samples.Sum(s => s.JitMethods) / n,
                samples.Sum(s => s.Kept) / n);
        }

        public static Sample operator -(Sample a, Sample b) => new(a.Wall - b.Wall, a.Cpu - b.Cpu, a.SimulatorCpu - b.SimulatorCpu,
            a.Allocated - b.Allocated, a.WorkItems - b.WorkItems, a.Contentions - b.Contentions, [], 0, a.Jit - b.Jit, a.JitMethods - b.JitMethods, 0);
    }
}
