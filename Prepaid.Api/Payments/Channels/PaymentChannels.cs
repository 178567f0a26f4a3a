namespace Prepaid.Api.Payments.Channels;

/// <summary>
/// The channels this installation has configured. A channel without configuration is simply absent: orders for it
/// are refused and its notifications are stored as rejected.
/// </summary>
public static class PaymentChannels
{
    public static readonly string[] Names = [AlipayChannel.ChannelName, WeChatPayChannel.ChannelName];

    public static IPaymentChannel? Find(IServiceProvider services, string channel) => channel switch
    {
        AlipayChannel.ChannelName => services.GetService<AlipayChannel>(),
        WeChatPayChannel.ChannelName => services.GetService<WeChatPayChannel>(),
        _ => null,
    };

    public static string[] MethodsOf(string? channel) => channel switch
    {
        AlipayChannel.ChannelName => AlipayChannel.Methods,
        WeChatPayChannel.ChannelName => WeChatPayChannel.Methods,
        _ => [],
    };
}
