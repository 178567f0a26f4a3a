namespace Prepaid.Api.Notifications;

/// <summary><c>Prepaid:Notifications:*</c>. A channel without its settings is off: its messages wait, they are not dropped.</summary>
public sealed class NotificationsOptions
{
    public const string Section = "Prepaid:Notifications";

    public SmsOptions Sms { get; set; } = new();
    public WeChatOptions WeChat { get; set; } = new();
    public EmailOptions Email { get; set; } = new();
    /// <summary>Attempts before a message is marked failed (retries back off from one minute to an hour).</summary>
    public int MaxAttempts { get; set; } = 8;
}

public sealed class SmsOptions
{
    /// <summary>Aliyun's endpoint, e.g. https://dysmsapi.aliyuncs.com/ (a fake gateway's address in tests and the demo).</summary>
    public string? Endpoint { get; set; }
    public string? AccessKeyId { get; set; }
    public string? AccessKeySecret { get; set; }
    public string SignName { get; set; } = "预付费平台";
    /// <summary>Template code per notification kind (SMS_123456789); a kind without one uses <see cref="DefaultTemplate"/>.</summary>
    public Dictionary<string, string> Templates { get; set; } = new();
    public string DefaultTemplate { get; set; } = "SMS_PREPAID";
}

public sealed class WeChatOptions
{
    /// <summary>The official account API's base, e.g. https://api.weixin.qq.com/ (a fake in tests and the demo).</summary>
    public string? Endpoint { get; set; }
    public string? AccessToken { get; set; }
    public Dictionary<string, string> Templates { get; set; } = new();
    public string DefaultTemplate { get; set; } = "prepaid-notice";
}

public sealed class EmailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string From { get; set; } = "prepaid@localhost";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>none, starttls or ssl.</summary>
    public string Security { get; set; } = "starttls";
}
