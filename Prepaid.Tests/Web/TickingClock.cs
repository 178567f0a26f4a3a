using Microsoft.Extensions.Time.Testing;

namespace Prepaid.Tests.Web;

/// <summary>
/// Moves a site's fake clock on by five seconds every real second until disposed. On a loaded machine a command's
/// attempt can time out, and its retry waits for the back-off on the site's clock: a test waiting for commands to end
/// lets the clock run, as a real one would.
/// </summary>
public sealed class TickingClock : IAsyncDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly Task ticking;

    public TickingClock(FakeTimeProvider time) =>
        ticking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(1000, stop.Token); } catch (OperationCanceledException) { return; }
                time.Advance(TimeSpan.FromSeconds(5));
            }
        });

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await ticking;
        stop.Dispose();
    }
}
