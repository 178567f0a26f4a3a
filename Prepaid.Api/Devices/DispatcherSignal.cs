using System.Threading.Channels;
using Prepaid.Api.Outbox;

namespace Prepaid.Api.Devices;

/// <summary>Wakes the dispatcher at once when there is work (an operator's command, an engine switch request), instead of
/// waiting for its next tick. Many wakes fold into one run.</summary>
public sealed class DispatcherSignal
{
    readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public DispatcherSignal(PostingEventBus postings) =>
        postings.Subscribe(rows => { if (rows.Any(r => r.Kind == "switchRequested")) Wake(); });

    public void Wake() => channel.Writer.TryWrite(true);

    public ValueTask<bool> WaitAsync(CancellationToken ct) => channel.Reader.WaitToReadAsync(ct);

    public void Consume() => channel.Reader.TryRead(out _);
}

/// <summary>Runs the dispatcher when woken, and every few seconds anyway for retries, trips whose friendly window has
/// ended (their notBefore passes with no event) and expiries. After a restart the first pass catches up from the tables.</summary>
public sealed class DispatcherService(CommandDispatcher dispatcher, DispatcherSignal signal, ILogger<DispatcherService> log) : BackgroundService
{
    /// <summary>Real time: the tick only bounds how late a due retry or a window's end is noticed.</summary>
    static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                signal.Consume();
                await dispatcher.RunOnceAsync(stoppingToken);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                tick.CancelAfter(Tick);
                try { await signal.WaitAsync(tick.Token); }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A dispatch pass failed; the next tick retries.");
                await Task.Delay(Tick, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
