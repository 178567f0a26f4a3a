using System.Diagnostics;
using Prepaid.Api.Auth;
using Prepaid.Tests.Localization;

namespace Prepaid.Tests.Api;

/// <summary>The first start of the real program: the admin's password comes last, after the host listens, framed.</summary>
public class FirstStartTests
{
    [Fact]
    public void Banner_FramesThePassword_AndSaysHowToChangeIt()
    {
        var banner = AdminSeeder.Banner("Secret-123456", "http://localhost:5000");
        var lines = banner.TrimEnd().Split(Environment.NewLine);
        Assert.StartsWith("+--", lines[0]);
        Assert.Equal(lines[0], lines[^1]);
        Assert.All(lines[1..^1], l => Assert.True(l.StartsWith("| ") && l.EndsWith(" |") && l.Length == lines[0].Length, l));
        Assert.Contains(lines, l => l.Contains("password:   Secret-123456"));
        Assert.Contains("PUT /api/users/me/password", banner);
        Assert.Contains("http://localhost:5000", banner);
    }

    [Fact]
    public async Task FirstStart_PrintsTheAdminPasswordLast_AfterNowListening_AndSecondStartPrintsNone()
    {
        var root = SourceMessages.RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var dll = Path.Combine(root, "Prepaid.Api", "bin", configuration, "net10.0", "Prepaid.Api.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var folder = Directory.CreateTempSubdirectory("prepaid-first-start-").FullName;
        try
        {
            var first = await RunUntilBannerAsync(dll, folder, expectBanner: true);
            var listening = first.FindIndex(l => l.Contains("Now listening on", StringComparison.Ordinal));
            var password = first.FindIndex(l => l.Contains("password:", StringComparison.Ordinal));
            Assert.True(listening >= 0, "no \"Now listening on\" line:\n" + string.Join("\n", first));
            Assert.True(password > listening, "the password is not after \"Now listening on\":\n" + string.Join("\n", first));
            // The frame closes the output: nothing of the start-up comes after it.
            var frameEnd = first.FindLastIndex(l => l.StartsWith("+--", StringComparison.Ordinal));
            Assert.True(frameEnd > password);
            Assert.All(first[(frameEnd + 1)..], l => Assert.True(string.IsNullOrWhiteSpace(l), $"printed after the banner: {l}"));

            var second = await RunUntilBannerAsync(dll, folder, expectBanner: false);
            Assert.DoesNotContain(second, l => l.Contains("password:", StringComparison.Ordinal));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Runs the program on a fresh port until it has started (and, when expected, printed the banner), then stops it.</summary>
    static async Task<List<string>> RunUntilBannerAsync(string dll, string folder, bool expectBanner)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        foreach (var a in new[] { dll, "--urls", "http://127.0.0.1:0", $"--ConnectionStrings:Prepaid=Data Source={Path.Combine(folder, "prepaid.db")}",
                     "--Prepaid:Devices:Background=false", "--Prepaid:Payments:ScheduleJobs=false" })
            start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var lines = new List<string>();
        using var process = Process.Start(start)!;
        var done = new TaskCompletionSource();
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (lines)
            {
                lines.Add(line);
                var bannerDone = lines.Count(l => l.StartsWith("+--", StringComparison.Ordinal)) >= 2;
                if (expectBanner ? bannerDone : line.Contains("Application started", StringComparison.Ordinal)) done.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        // Anything still to come would show here: give it a moment before stopping.
        await Task.Delay(TimeSpan.FromSeconds(1));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        lock (lines)
        {
            Assert.True(finished == done.Task, "the program did not start in time:\n" + string.Join("\n", lines));
            return [.. lines];
        }
    }
}
