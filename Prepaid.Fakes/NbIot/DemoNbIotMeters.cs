using Prepaid.Devices.NbIot;

namespace Prepaid.Fakes.NbIot;

/// <summary>
/// The demo's sleepy NB-IoT meters: registered by the platform (<c>POST /nbiot/demo/meters</c>), each wakes on its
/// interval, reports through the fake platform to the registered callback and takes the commands cached for it meanwhile.
/// A meter registered again (a second node, a restart) keeps its register; the newest callback is used.
/// </summary>
public sealed class DemoNbIotMeters(FakeNbIotPlatform platform, TimeProvider time) : IDisposable
{
    public sealed record Meter(string DeviceId, bool Water, long TotalMilli);

    /// <summary>What the platform registers: where reports go (its callback URL, token included), how often and how much each meter consumes.</summary>
    public sealed record Registration(string CallbackUrl, int WakeEverySeconds, long ConsumedMilliPerWake, IReadOnlyList<Meter> Meters);

    readonly HttpClient push = new() { Timeout = TimeSpan.FromSeconds(10) };
    readonly CancellationTokenSource stop = new();
    readonly HashSet<string> known = [];
    Registration? current;
    Task? loop;

    public void Register(Registration registration)
    {
        lock (known)
        {
            platform.PushTo(NbIotPlatform.Iotda, push, registration.CallbackUrl);
            foreach (var m in registration.Meters.Where(m => known.Add(m.DeviceId)))
                platform.Add(m.DeviceId, NbIotPlatform.Iotda, m.Water).TotalMilli = m.TotalMilli;
            current = registration;
            loop ??= Task.Run(() => WakeAsync(TimeSpan.FromSeconds(Math.Max(1, registration.WakeEverySeconds))));
        }
    }

    async Task WakeAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                Registration now;
                string[] devices;
                lock (known) (now, devices) = (current!, known.ToArray());
                foreach (var device in devices)
                {
                    try
                    {
                        await platform.WakeAsync(device, now.ConsumedMilliPerWake);
                    }
                    catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        // The platform may be restarting; a real meter simply reports again on its next wake.
                        Console.Error.WriteLine($"Demo NB-IoT meter {device} could not report: {e.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        stop.Cancel();
        push.Dispose();
        stop.Dispose();
    }
}
