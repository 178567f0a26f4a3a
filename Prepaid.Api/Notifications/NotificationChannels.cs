namespace Prepaid.Api.Notifications;

/// <summary>A message as a channel receives it: where to, the template kind and its parameters, and the rendered text.</summary>
public sealed record OutgoingMessage(long Id, string Kind, string Address, string Subject, string Body, IReadOnlyDictionary<string, string> Params);

/// <summary>
/// The seam every channel sits behind: SMS (Aliyun's SendSms), WeChat template messages, e-mail over SMTP. A channel
/// throws when the message did not go; the dispatcher then retries it later.
/// </summary>
public interface INotificationChannel
{
    string Name { get; }

    /// <summary>False while the channel has no settings: its messages wait (no attempt is spent), they are not dropped.</summary>
    bool Configured { get; }
    Task SendAsync(OutgoingMessage message, CancellationToken ct);
}
