using System.Text;

namespace Prepaid.Fakes.Payments;

/// <summary>A notification as WeChat Pay would post it: the Wechatpay-* headers and the raw JSON body.</summary>
public sealed record FakeWeChatPayNotification(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public byte[] BodyBytes => Encoding.UTF8.GetBytes(Body);
}
