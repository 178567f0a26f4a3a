namespace Prepaid.Fakes.Payments;

/// <summary>
/// Lets HttpClientFactory rotate and dispose handlers without disposing the fake gateway behind them, which holds the
/// orders and keys for the life of the process.
/// </summary>
public sealed class SharedHandler(HttpMessageHandler gateway) : HttpMessageHandler
{
    readonly HttpMessageInvoker invoker = new(gateway, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        invoker.SendAsync(request, ct);
}
