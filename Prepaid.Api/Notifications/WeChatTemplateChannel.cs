using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Prepaid.Api.Notifications;

/// <summary>
/// WeChat official-account template messages: <c>POST cgi-bin/message/template/send?access_token=…</c> with
/// <c>{touser, template_id, data: {name: {value}}}</c>; <c>errcode</c> 0 means sent.
/// </summary>
public sealed class WeChatTemplateChannel(HttpClient http, IOptions<NotificationsOptions> options) : INotificationChannel
{
    public string Name => "wechat";

    public bool Configured => options.Value.WeChat is { Endpoint: not null, AccessToken: not null };

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value.WeChat;
        if (o.Endpoint is null || o.AccessToken is null) throw new InvalidOperationException("WeChat is not configured (Prepaid:Notifications:WeChat).");
        var data = message.Params.ToDictionary(kv => kv.Key, kv => new { value = kv.Value });
        data["first"] = new { value = message.Subject };
        using var response = await http.PostAsJsonAsync($"{o.Endpoint.TrimEnd('/')}/cgi-bin/message/template/send?access_token={Uri.EscapeDataString(o.AccessToken)}",
            new { touser = message.Address, template_id = o.Templates.GetValueOrDefault(message.Kind, o.DefaultTemplate), data }, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errcode", out var c) ? c.GetInt32() : -1;
        if (!response.IsSuccessStatusCode || code != 0) throw new InvalidOperationException($"WeChat answered {(int)response.StatusCode} errcode {code}");
    }
}
