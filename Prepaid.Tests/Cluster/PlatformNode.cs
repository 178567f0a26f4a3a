using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Prepaid.Tests.Cluster;

/// <summary>
/// One platform process (<c>dotnet Prepaid.Api.dll</c>, as deployed) in cluster mode on a shared PostgreSQL and Redis,
/// on its own loopback port, with short lease and check-in timings. Its output is kept for the failure message.
/// </summary>
public sealed class PlatformNode : IAsyncDisposable
{
    public const string AdminPassword = "two-node-admin-pass";
    public const double LeaseSeconds = 3, HeartbeatSeconds = 1;

    /// <summary>The interval of the payment query job and of the notifications job.</summary>
    public const int JobSeconds = 5;

    readonly Process process;
    readonly StringBuilder output = new();

    public string Name { get; }
    public int Port { get; }
    public int Pid => process.Id;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    PlatformNode(string name, string connectionString, string redis, NodeProcesses? processes)
    {
        Name = name;
        Port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory.Replace($"{Path.DirectorySeparatorChar}Prepaid.Tests{Path.DirectorySeparatorChar}",
            $"{Path.DirectorySeparatorChar}Prepaid.Api{Path.DirectorySeparatorChar}"), "Prepaid.Api.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var a in new[]
        {
            dll, "--urls", BaseAddress.ToString(), $"--ConnectionStrings:Prepaid={connectionString}", $"--Prepaid:AdminPassword={AdminPassword}",
            "--Prepaid:Cluster:Enabled=true", $"--Prepaid:Cluster:NodeId={name}", $"--Prepaid:Cluster:LeaseSeconds={LeaseSeconds}",
            $"--Prepaid:Cluster:HeartbeatSeconds={HeartbeatSeconds}", "--Prepaid:Cluster:CheckinSeconds=2", $"--Prepaid:Redis={redis}",
            $"--Prepaid:Payments:QueryEverySeconds={JobSeconds}", $"--Prepaid:Notifications:IntervalSeconds={JobSeconds}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Prepaid.Api.Cluster=Information",
        }) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        processes?.Add(process.Id, name);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Starts the node and waits until it serves; <paramref name="processes"/> learns its pid at once.</summary>
    public static async Task<PlatformNode> StartAsync(string name, string connectionString, string redis, NodeProcesses? processes = null)
    {
        var node = new PlatformNode(name, connectionString, redis, processes);
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (node.process.HasExited) throw new Xunit.Sdk.XunitException($"{name} exited ({node.process.ExitCode}):\n{node.Output}");
            try
            {
                if ((await http.GetAsync("/openapi/v1.json")).IsSuccessStatusCode) return node;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"{name} did not start:\n{node.Output}");
    }

    public async Task<HttpClient> AdminAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return client;
    }

    public void Kill() => process.Kill();

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    public void Pause() => Assert.Equal(0, kill(Pid, 19)); // SIGSTOP
    public void Resume() => Assert.Equal(0, kill(Pid, 18)); // SIGCONT

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try { kill(Pid, 18); process.Kill(); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    /// <summary>Runs <c>check-ledger</c> against the database as an operator would; returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> CheckLedgerAsync(string connectionString)
    {
        var dll = Path.Combine(AppContext.BaseDirectory.Replace($"{Path.DirectorySeparatorChar}Prepaid.Tests{Path.DirectorySeparatorChar}",
            $"{Path.DirectorySeparatorChar}Prepaid.Api{Path.DirectorySeparatorChar}"), "Prepaid.Api.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var a in new[] { dll, "check-ledger", $"--ConnectionStrings:Prepaid={connectionString}", $"--Prepaid:AdminPassword={AdminPassword}" })
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var text = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, text);
    }
}
