using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;

namespace Prepaid.Api.Demo;

/// <summary>
/// `--demo`: the stand-ins for Alipay, WeChat Pay and the NB-IoT platform are not in this assembly; they run as their own
/// process (the Prepaid.Fakes project), started here from the source tree and stopped with the platform, or are found at
/// <see cref="UrlKey"/> when several nodes share one. Their merchant settings become this platform's configuration, so the
/// channels are wired exactly as for a real merchant.
/// </summary>
public sealed class DemoPlatforms : IHostedService
{
    /// <summary>Where the fakes answer; set it to share one fakes process between nodes, leave it out and `--demo` starts one.</summary>
    public const string UrlKey = "Prepaid:Demo:FakesUrl";

    const string Ready = "Prepaid.Fakes listening on ";
    readonly Process? process;

    DemoPlatforms(Process? process) => this.process = process;

    /// <summary>Finds or starts the fakes and adds their address and merchant settings to the configuration.</summary>
    public static async Task AddAsync(WebApplicationBuilder builder)
    {
        Process? started = null;
        var url = builder.Configuration[UrlKey];
        if (string.IsNullOrEmpty(url)) (started, url) = await StartAsync(builder.Environment.ContentRootPath);
        var platforms = new DemoPlatforms(started);
        builder.Services.AddSingleton(platforms);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoPlatforms>());
        // A platform that fails to start must not leave the fakes behind (they also watch our process id).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => platforms.Stop();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var settings = await http.GetFromJsonAsync<Dictionary<string, string?>>(new Uri(new Uri(url), "/merchant-settings"))
            ?? throw new InvalidOperationException($"The fakes at {url} sent no merchant settings.");
        settings[UrlKey] = url;
        // A notification channel configured for real stays real: the fakes' settings fill only the channels left empty.
        foreach (var channel in new[] { "Sms:Endpoint", "WeChat:Endpoint", "Email:Host" })
            if (builder.Configuration[$"Prepaid:Notifications:{channel}"] is { Length: > 0 })
            {
                var section = $"Prepaid:Notifications:{channel.Split(':')[0]}:";
                foreach (var key in settings.Keys.Where(k => k.StartsWith(section, StringComparison.Ordinal)).ToList()) settings.Remove(key);
            }
        builder.Configuration.AddInMemoryCollection(settings);
    }

    static async Task<(Process, string)> StartAsync(string contentRoot)
    {
        var project = FindProject(contentRoot) ?? FindProject(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"--demo needs the Prepaid.Fakes project beside Prepaid.Api (or {UrlKey} naming running fakes).");
        var configuration = typeof(DemoPlatforms).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", project, "-c", configuration, "--no-launch-profile", "--",
                "--urls", "http://127.0.0.1:0", "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Console.Error.WriteLine("Demo: starting the fake Alipay, WeChat Pay and NB-IoT platforms (Prepaid.Fakes); the first time it builds…");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start Prepaid.Fakes.");
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) address.TrySetException(new InvalidOperationException("Prepaid.Fakes ended before it listened."));
            else if (e.Data.StartsWith(Ready, StringComparison.Ordinal)) address.TrySetResult(e.Data[Ready.Length..].Trim());
            else Console.Error.WriteLine("[fakes] " + e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[fakes] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (process, await address.Task.WaitAsync(TimeSpan.FromMinutes(5)));
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    static string? FindProject(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            var csproj = Path.Combine(dir.FullName, "Prepaid.Fakes", "Prepaid.Fakes.csproj");
            if (File.Exists(csproj)) return csproj;
        }
        return null;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    void Stop()
    {
        if (process is not null) Kill(process);
    }

    static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
