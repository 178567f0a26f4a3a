using System.Diagnostics;
using Prepaid.Devices.Simulator;

namespace Prepaid.Bench;

/// <summary>
/// Simulated gateways of one bus each, listening on loopback ports, in this process or in a child one. In a child the
/// simulators' CPU is the child's, so the benchmark's own process time is the poller's alone.
/// </summary>
public sealed class SimulatedBuses : IAsyncDisposable
{
    public required List<LoopbackServer> Servers { get; init; }
    public required List<SimulatedElectricMeter> Meters { get; init; }

    public int[] Ports => [.. Servers.Select(s => s.Port)];

    public static string Address(int bus, int unit) => $"{bus:D6}{unit:D6}";

    /// <param name="watts">A constant load for every meter; without it a household-like day (<see cref="LoadProfile.Default"/>).</param>
    public static SimulatedBuses Start(int buses, int perBus, string protocol, WireTiming? timing, int? watts = null)
    {
        var load = watts is { } w ? LoadProfile.Constant(w) : LoadProfile.Default;
        var servers = new List<LoopbackServer>();
        var meters = new List<SimulatedElectricMeter>();
        for (var b = 0; b < buses; b++)
        {
            var busMeters = Enumerable.Range(1, perBus)
                .Select(u => new SimulatedElectricMeter((byte)u, Address(b, u), TimeProvider.System, load) { RegisterStepWh = 10 }).ToList();
            meters.AddRange(busMeters);
            var bus = new ModbusBus(busMeters);
            LoopbackServer server = protocol == "modbusRtuOverTcp"
                ? new ModbusRtuDtuSimulator(bus) { Timing = timing }
                : new ModbusTcpGatewaySimulator(bus) { Timing = timing };
            servers.Add(server.Start());
        }
        return new SimulatedBuses { Servers = servers, Meters = meters };
    }

    /// <summary>The child's side (<c>bench sim-buses</c>): starts the simulators, prints their ports on one line, serves
    /// until its standard input closes.</summary>
    public static async Task ServeAsync(BenchOptions options)
    {
        await using var buses = Start(options.Int("buses", 500), options.Int("perBus", 20), options.Values.GetValueOrDefault("protocol", "modbusTcp"),
            new WireTiming(options.Int("baud", 9600), options.Int("turnaround", 5)), options.Values.ContainsKey("watts") ? options.Int("watts", 0) : null);
        Console.WriteLine(string.Join(',', buses.Ports));
        await Console.In.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Servers) await s.DisposeAsync();
    }
}

/// <summary>The simulators in a child process of this benchmark; its CPU time is read from the process.</summary>
public sealed class SimulatorProcess : IDisposable
{
    readonly Process child;

    SimulatorProcess(Process child, int[] ports)
    {
        this.child = child;
        Ports = ports;
    }

    public int[] Ports { get; }

    public TimeSpan Cpu
    {
        get
        {
            child.Refresh();
            return child.TotalProcessorTime;
        }
    }

    public static async Task<SimulatorProcess> StartAsync(int buses, int perBus, string protocol, WireTiming timing, int? watts = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet Prepaid.Bench.dll` the host is dotnet and the benchmark its first argument.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(SimulatorProcess).Assembly.Location);
        foreach (var a in new[] { "sim-buses", "--buses", $"{buses}", "--perBus", $"{perBus}", "--protocol", protocol, "--baud", $"{timing.BaudRate}", "--turnaround", $"{timing.TurnaroundMs}" })
            start.ArgumentList.Add(a);
        if (watts is { } w)
        {
            start.ArgumentList.Add("--watts");
            start.ArgumentList.Add($"{w}");
        }
        var child = Process.Start(start)!;
        var line = await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The simulator process printed no ports.");
        return new SimulatorProcess(child, [.. line.Split(',').Select(int.Parse)]);
    }

    public void Dispose()
    {
        child.StandardInput.Close();
        if (!child.WaitForExit(10_000)) child.Kill();
        child.Dispose();
    }
}
