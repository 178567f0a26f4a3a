using System.Diagnostics;
using Dapper;
using Prepaid.Devices.Simulator;

namespace Prepaid.Bench;

/// <summary>
/// Sweeps 10,000 simulated meters on 500 Modbus TCP gateways (one bus of 20 each, 9600 Bd wire timing) with the real
/// poller — reads, meter status, readings through the ingest path — and prints the sweep time and the CPU it took.
/// </summary>
public static class PollBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        var meters = options.Int("meters", 10_000);
        var gateways = options.Int("gateways", 500);
        var baud = options.Int("baud", 9600);
        var perBus = meters / gateways;
        Console.WriteLine($"poll: {perBus * gateways:N0} meters on {gateways} Modbus TCP gateways ({perBus} per bus), {baud} Bd wire timing, {Environment.ProcessorCount} CPUs");
        await using var rig = await DeviceRig.CreateAsync(gateways, perBus, "modbusTcp", new WireTiming(baud, 5));

        var process = Process.GetCurrentProcess();
        for (var sweep = 1; sweep <= 3; sweep++)
        {
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await rig.Poller.SweepAllAsync();
            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            await using var connection = await rig.Db.OpenAsync();
            var readings = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings");
            var online = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_status WHERE online = 1 AND missed_polls = 0");
            Console.WriteLine($"  sweep {sweep}{(sweep == 1 ? " (cold: connects, JIT)" : "")}: {clock.Elapsed.TotalSeconds:0.000} s, CPU {cpu.TotalSeconds:0.00} s " +
                $"= {cpu / clock.Elapsed * 100:0}% of one core ({cpu / clock.Elapsed / Environment.ProcessorCount * 100:0}% of {Environment.ProcessorCount}); " +
                $"{online:N0} meters answered, {readings:N0} readings stored so far");
            // A second sweep inside the same second would be a duplicate reading instant; real buses poll every minute.
            await Task.Delay(1100);
        }
        var wire = TimeSpan.FromSeconds(perBus * (8 + 5 + 2 * 11) * 10.0 / baud) + TimeSpan.FromMilliseconds(perBus * 5);
        Console.WriteLine($"  one bus's wire time for {perBus} reads (the floor of a sweep, buses in parallel): {wire.TotalSeconds:0.000} s");
    }
}
