using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Prepaid.Api.Notifications;

/// <summary>
/// SMS through Aliyun's SendSms (RPC style, API version 2017-05-25): the query's parameters sorted, percent-encoded
/// (RFC 3986), signed with HMAC-SHA1 under "secret&amp;" over "GET&amp;%2F&amp;" + the encoded query. The answer's
/// <c>Code</c> is "OK" when the gateway took the message.
/// </summary>
public sealed class AliyunSmsChannel(HttpClient http, IOptions<NotificationsOptions> options, TimeProvider time) : INotificationChannel
{
    public string Name => "sms";

    public bool Configured => options.Value.Sms is { Endpoint: not null, AccessKeyId: not null, AccessKeySecret: not null };

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value.Sms;
        if (o.Endpoint is null || o.AccessKeyId is null || o.AccessKeySecret is null) throw new InvalidOperationException("SMS is not configured (Prepaid:Notifications:Sms).");
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccessKeyId"] = o.AccessKeyId, ["Action"] = "SendSms", ["Format"] = "JSON", ["PhoneNumbers"] = message.Address,
            ["RegionId"] = "cn-hangzhou", ["SignName"] = o.SignName, ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = $"n{message.Id}-{Guid.NewGuid():N}", ["SignatureVersion"] = "1.0",
            ["TemplateCode"] = o.Templates.GetValueOrDefault(message.Kind, o.DefaultTemplate),
            ["TemplateParam"] = JsonSerializer.Serialize(message.Params),
            ["Timestamp"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["Version"] = "2017-05-25",
        };
        var canonical = Canonical(query);
        var url = $"{o.Endpoint.TrimEnd('/')}/?Signature={Encode(Sign("GET", canonical, o.AccessKeySecret))}&{canonical}";
        using var response = await http.GetAsync(url, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("Code", out var c) ? c.GetString() : null;
        if (!response.IsSuccessStatusCode || code != "OK")
            throw new InvalidOperationException($"SendSms answered {(int)response.StatusCode} {code}: {(body.ValueKind == JsonValueKind.Object && body.TryGetProperty("Message", out var m) ? m.GetString() : "")}");
    }

    public static string Canonical(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{Encode(kv.Key)}={Encode(kv.Value)}"));

    public static string Sign(string method, string canonical, string secret)
    {
        var toSign = $"{method}&{Encode("/")}&{Encode(canonical)}";
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret + "&"), Encoding.UTF8.GetBytes(toSign)));
    }

    /// <summary>Aliyun's POP encoding: RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes.</summary>
    public static string Encode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var ch = (char)b;
            if (char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or '~') sb.Append(ch);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
