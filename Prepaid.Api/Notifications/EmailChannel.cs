using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Prepaid.Api.Notifications;

/// <summary>E-mail over SMTP with MailKit: one connection per message (messages are few and spread out).</summary>
public sealed class EmailChannel(IOptions<NotificationsOptions> options) : INotificationChannel
{
    public string Name => "email";

    public bool Configured => options.Value.Email.Host is not null;

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value.Email;
        if (o.Host is null) throw new InvalidOperationException("E-mail is not configured (Prepaid:Notifications:Email:Host).");
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(o.From));
        mail.To.Add(MailboxAddress.Parse(message.Address));
        mail.Subject = message.Subject;
        mail.Headers.Add("X-Prepaid-Notification", $"{message.Kind}:{message.Id}");
        mail.Body = new TextPart("plain") { Text = message.Body };
        using var smtp = new SmtpClient();
        var security = o.Security switch { "none" => SecureSocketOptions.None, "ssl" => SecureSocketOptions.SslOnConnect, _ => SecureSocketOptions.StartTls };
        await smtp.ConnectAsync(o.Host, o.Port, security, ct);
        if (o.UserName is not null) await smtp.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
        await smtp.SendAsync(mail, ct);
        await smtp.DisconnectAsync(true, ct);
    }
}
