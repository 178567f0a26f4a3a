using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Demo;
using Prepaid.Api.Payments.Demo;
using Prepaid.Fakes;
using Prepaid.Fakes.Payments;
using Prepaid.Payments.Alipay;
using Prepaid.Payments.WeChatPay;

namespace Prepaid.Tests.Support;

/// <summary>
/// The fakes process hosted in-process: the platform is configured with the fakes' merchant settings, as `--demo` does,
/// and its Alipay, WeChat Pay and demo-gateway HttpClients reach the fakes without a port. The fake gateways are also in
/// the container, for tests that play the channel by hand.
/// </summary>
public static class InProcessFakes
{
    /// <summary>A host setting the test hosts read (PrepaidApp, LiveSite): "true" plugs the fakes in.</summary>
    public const string Switch = "Tests:PaymentFakes";

    public static readonly Uri Url = new("http://fakes.test");

    public static FakePlatforms Plug(IWebHostBuilder builder, TimeProvider time)
    {
        var platforms = new FakePlatforms(time);
        foreach (var (key, value) in platforms.Channels.Settings(Url)) builder.UseSetting(key, value);
        builder.UseSetting(DemoPlatforms.UrlKey, Url.ToString());
        builder.ConfigureServices(s =>
        {
            s.AddSingleton(_ => platforms); // a factory, so the container disposes it with the host
            s.AddSingleton(platforms.Alipay);
            s.AddSingleton(platforms.WeChat);
            s.AddHttpClient<AlipayClient>().ConfigurePrimaryHttpMessageHandler(() => new SharedHandler(platforms));
            s.AddHttpClient<WeChatPayClient>().ConfigurePrimaryHttpMessageHandler(() => new SharedHandler(platforms));
            s.AddHttpClient(DemoPayPage.GatewaysClient).ConfigurePrimaryHttpMessageHandler(() => new SharedHandler(platforms));
        });
        return platforms;
    }
}
