using System.Diagnostics;
using Dapper;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;

namespace Prepaid.Bench;

/// <summary>
/// Trips 1,000 simulated meters on 50 RS-485 buses at 9600 Bd (transparent DTUs, RTU frames, wire timing on) through
/// the real queue and dispatcher, and compares the time until every trip is confirmed by read-back with the lower
/// bound the wire allows: per bus, every frame's bytes × 10 bit times (8N1) plus the meters' turnaround, buses in parallel.
/// </summary>
public static class SwitchBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        var meters = options.Int("meters", 1000);
        var buses = options.Int("buses", 50);
        var baud = options.Int("baud", 9600);
        var turnaroundMs = options.Int("turnaround", 5);
        var perBus = meters / buses;
        Console.WriteLine($"switch: {perBus * buses:N0} meters on {buses} buses ({perBus} per bus), {baud} Bd 8N1, meter turnaround {turnaroundMs} ms, transparent DTUs (RTU over TCP)");
        await using var rig = await DeviceRig.CreateAsync(buses, perBus, "modbusRtuOverTcp", new WireTiming(baud, turnaroundMs));

        // Warm the links (TCP connect, JIT) with one poll, so the figure is the switching itself.
        await rig.Poller.SweepAllAsync();
        var clock = Stopwatch.StartNew();
        await rig.Queue.EnqueueAsync(rig.MeterIds, "trip", null, "batch", null, null);
        var passes = 0;
        long open;
        do
        {
            await rig.Dispatcher.RunOnceAsync();
            passes++;
            await using var connection = await rig.Db.OpenAsync();
            open = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_commands WHERE state <> 'confirmed'");
        } while (open > 0 && passes < 10);
        clock.Stop();

        // Per meter: write coil (8 B request, 8 B echo) then read-back of 11 registers (8 B request, 5 + 22 B reply).
        var bytesPerMeter = ModbusRtuFrame(ModbusRequestLength) * 2 + ModbusRtuFrame(ModbusRequestLength) + (5 + 2 * 11);
        var wire = TimeSpan.FromSeconds(perBus * bytesPerMeter * 10.0 / baud);
        var bound = wire + TimeSpan.FromMilliseconds(perBus * 2 * turnaroundMs);
        var tripped = rig.Meters.Count(m => m.RelayOpen);
        Console.WriteLine($"  confirmed: {perBus * buses - open:N0} of {perBus * buses:N0} ({tripped:N0} relays open) in {passes} dispatch pass(es)");
        Console.WriteLine($"  time until all confirmed: {clock.Elapsed.TotalSeconds:0.000} s");
        Console.WriteLine($"  lower bound (wire bytes {bytesPerMeter} B/meter × {perBus} meters at {baud} Bd + 2 × {turnaroundMs} ms turnaround per meter): {bound.TotalSeconds:0.000} s");
        Console.WriteLine($"  ratio: {clock.Elapsed / bound:0.00} × the bound   (wire bytes alone, no turnaround: {wire.TotalSeconds:0.000} s, ratio {clock.Elapsed / wire:0.00})");
    }

    const int ModbusRequestLength = 5; // PDU of FC05 / FC03 requests: function + address + value/quantity

    static int ModbusRtuFrame(int pduLength) => 1 + pduLength + 2;
}
