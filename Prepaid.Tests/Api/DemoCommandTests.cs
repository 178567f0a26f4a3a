using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Prepaid.Tests.Localization;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// README's first command, `Prepaid.Api -- --demo`, as a process: it starts the fakes as a process of their own
/// (Prepaid.Fakes), pays through the fake gateways' confirm page, hears the fake IoTDA's NB-IoT meters, and the fakes end
/// when the platform is killed.
/// </summary>
public class DemoCommandTests
{
    [Fact]
    public async Task Demo_StartsTheFakesProcess_PaysAndHearsNbIot_AndTheFakesEndWithThePlatform()
    {
        var root = SourceMessages.RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var dll = Path.Combine(root, "Prepaid.Api", "bin", configuration, "net10.0", "Prepaid.Api.dll");
        var folder = Directory.CreateTempSubdirectory("prepaid-demo-").FullName;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var a in new[] { dll, "--demo", "--urls", url, $"--ConnectionStrings:Prepaid=Data Source={Path.Combine(folder, "prepaid.db")}",
                     "--Prepaid:AdminPassword=demo-admin-pass" })
            start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var lines = new List<string>();
        var started = new TaskCompletionSource();
        using var platform = Process.Start(start)!;
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (lines) lines.Add(line);
            if (line.Contains("Application started", StringComparison.Ordinal)) started.TrySetResult();
        }
        platform.OutputDataReceived += (_, e) => OnLine(e.Data);
        platform.ErrorDataReceived += (_, e) => OnLine(e.Data);
        platform.BeginOutputReadLine();
        platform.BeginErrorReadLine();
        int[] fakes = [];
        try
        {
            // The first start may build Prepaid.Fakes.
            var ready = await Task.WhenAny(started.Task, platform.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(5)));
            Assert.True(ready == started.Task, "the demo did not start:\n" + Output(lines));
            fakes = FakesOf(platform.Id);
            Assert.NotEmpty(fakes);

            using var admin = new HttpClient { BaseAddress = new Uri(url) };
            var token = (await admin.PostOkAsync("/api/auth/token", new { username = "admin", password = "demo-admin-pass" }, HttpStatusCode.OK)).Str("token");
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            foreach (var (channel, method) in new[] { ("alipay", "qr"), ("wechat", "native") })
            {
                var order = await admin.PostOkAsync("/api/accounts/1/payments", new { amount = "10.00", channel, method });
                using var browser = new HttpClient { BaseAddress = new Uri(url) };
                var paid = await browser.PostAsync(order.Str("demoConfirmUrl"), null);
                var page = await paid.Content.ReadAsStringAsync();
                Assert.True(paid.StatusCode == HttpStatusCode.OK && page.Contains("<b>paid</b>", StringComparison.Ordinal), page);
            }

            // Shop 19's NB-IoT water meter reports through the fake IoTDA every 15 s.
            JsonElement status = default;
            for (var i = 0; i < 40 && !(status.ValueKind == JsonValueKind.Object && status.GetProperty("online").ValueKind == JsonValueKind.True); i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                status = await admin.GetOkAsync("/api/meters/19/device-status");
            }
            Assert.True(status.GetProperty("online").ValueKind == JsonValueKind.True, "the NB-IoT meter never reported: " + status + "\n" + Output(lines));

            // Killed, the platform cannot stop its fakes: they see their parent gone and end by themselves.
            platform.Kill();
            await platform.WaitForExitAsync();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && fakes.Any(Alive)) await Task.Delay(250);
            Assert.False(fakes.Any(Alive), "the fakes outlived the platform");
        }
        finally
        {
            if (!platform.HasExited) platform.Kill(entireProcessTree: true);
            foreach (var pid in fakes.Where(Alive))
            {
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
            }
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    static string Output(List<string> lines)
    {
        lock (lines) return string.Join("\n", lines);
    }

    // The fakes the platform started: the processes whose command line names it as their parent.
    static int[] FakesOf(int platform) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains($"--parent-pid {platform}", StringComparison.Ordinal); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            })
            .ToArray();

    static bool Alive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }
}
