using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Prepaid.Tests.Devices.Conformance;

/// <summary>
/// Independent Modbus peers from Debian (installed by .ci/run): a libmodbus server built here from a few lines of C,
/// mbpoll as a master, socat for pseudo-terminal pairs. A test whose tool is missing is skipped, saying which package
/// to install. Every process started here is killed by its own handle when the test ends.
/// </summary>
public static class PeerTools
{
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    public static void Require(string tool, string package)
    {
        if (Find(tool) is null) Assert.Skip($"'{tool}' is not installed: apt-get install -y {package} (.ci/run installs it).");
    }

    static readonly Lazy<Task<string?>> Server = new(BuildServerAsync);

    /// <summary>The libmodbus server binary, compiled once per run; skips the test when libmodbus or gcc is missing.</summary>
    public static async Task<string> LibmodbusServerAsync()
    {
        Require("gcc", "gcc");
        Require("pkg-config", "pkg-config");
        if (!File.Exists("/usr/include/modbus/modbus.h")) Assert.Skip("libmodbus headers are missing: apt-get install -y libmodbus-dev (.ci/run installs it).");
        return await Server.Value ?? throw new InvalidOperationException("The libmodbus server did not compile; see the test output.");
    }

    /// <summary>
    /// Holding registers 0..127: [0] = 1, [1] = 34464 (so 0-1 read as uint32 = 100000), [i] = 100·i up to 31, 0 above;
    /// 16 coils. "tcp PORT" listens on 127.0.0.1; "rtu DEVICE BAUD" is slave 1 on a serial device.
    /// </summary>
    const string ServerSource = """
        #include <modbus.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        int main(int argc, char **argv) {
            int tcp = argc > 2 && strcmp(argv[1], "tcp") == 0;
            modbus_t *ctx = tcp ? modbus_new_tcp("127.0.0.1", atoi(argv[2])) : modbus_new_rtu(argv[2], atoi(argv[3]), 'N', 8, 1);
            modbus_mapping_t *map = modbus_mapping_new(16, 16, 128, 128);
            map->tab_registers[0] = 1; map->tab_registers[1] = 34464;
            for (int i = 2; i < 32; i++) map->tab_registers[i] = (uint16_t)(100 * i);
            int s = -1;
            if (tcp) { s = modbus_tcp_listen(ctx, 1); printf("ready\n"); fflush(stdout); if (modbus_tcp_accept(ctx, &s) < 0) return 1; }
            else { modbus_set_slave(ctx, 1); if (modbus_connect(ctx) < 0) return 1; printf("ready\n"); fflush(stdout); }
            uint8_t q[MODBUS_TCP_MAX_ADU_LENGTH];
            for (;;) {
                int rc = modbus_receive(ctx, q);
                if (rc > 0) modbus_reply(ctx, q, rc, map);
                else if (rc == -1 && tcp) break;
            }
            modbus_mapping_free(map); modbus_close(ctx); modbus_free(ctx);
            return 0;
        }
        """;

    static async Task<string?> BuildServerAsync()
    {
        var folder = Directory.CreateTempSubdirectory("prepaid-libmodbus-").FullName;
        var source = Path.Combine(folder, "mbsrv.c");
        var binary = Path.Combine(folder, "mbsrv");
        await File.WriteAllTextAsync(source, ServerSource);
        var (code, output) = await RunAsync("/bin/sh", ["-c", $"gcc -O1 -o '{binary}' '{source}' $(pkg-config --cflags --libs libmodbus)"], TimeSpan.FromSeconds(60));
        if (code != 0) Console.Error.WriteLine(output);
        return code == 0 ? binary : null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a tool to completion (killed at the timeout) and returns its exit code and combined output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        using var p = Start(file, args);
        using var cts = new CancellationTokenSource(timeout);
        var stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = p.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (p.ExitCode, await stdout + await stderr);
    }

    public static Process Start(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
    }

    /// <summary>A background peer that is killed (by its own process handle) on dispose.</summary>
    public sealed class Peer(Process process) : IAsyncDisposable
    {
        public Process Process { get; } = process;

        /// <summary>Waits for a line on stdout (the server's "ready"), at most a few seconds.</summary>
        public async Task WaitForAsync(string line)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await Process.StandardOutput.ReadLineAsync(cts.Token) is { } l)
                if (l.Contains(line, StringComparison.Ordinal)) return;
            throw new InvalidOperationException($"The peer ended before printing '{line}': {await Process.StandardError.ReadToEndAsync(cts.Token)}");
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }

    /// <summary>socat joining two new pseudo-terminals at <paramref name="a"/> and <paramref name="b"/>; waits until both exist.</summary>
    public static async Task<Peer> PtyPairAsync(string a, string b)
    {
        Require("socat", "socat");
        var peer = new Peer(Start("socat", [$"pty,raw,echo=0,link={a}", $"pty,raw,echo=0,link={b}"]));
        for (var i = 0; i < 100 && !(File.Exists(a) && File.Exists(b)); i++) await Task.Delay(50);
        if (!File.Exists(a) || !File.Exists(b)) throw new InvalidOperationException("socat did not create the pty pair.");
        return peer;
    }
}
