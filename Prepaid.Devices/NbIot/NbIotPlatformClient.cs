using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Prepaid.Devices.Metering;

namespace Prepaid.Devices.NbIot;

/// <summary>Credentials and ids for one platform account, from the gateway's settings. IoTDA: the project id of its API paths
/// and an IAM user (<c>iamUser</c>, <c>iamPassword</c>, its account <c>iamDomain</c>, the project name <c>iamProject</c>
/// such as cn-north-4, and <c>iamUrl</c>, the IAM endpoint). CTWing: AppKey, AppSecret, MasterKey, productId.</summary>
public sealed record NbIotSettings(string? ProjectId, string? AppKey, string? AppSecret, string? MasterKey, string? ProductId,
    string? IamUrl = null, string? IamDomain = null, string? IamUser = null, string? IamPassword = null, string? IamProject = null);

/// <summary>
/// Creates cached ("delay") commands on a carrier platform. Both platforms hold a command until the meter's next
/// uplink, so the answer is PENDING and the meter acts hours later; the expiry keeps a stale cut-off from acting.
/// </summary>
/// <remarks>
/// IoTDA calls carry an IAM token in <c>X-Auth-Token</c> (<see cref="IotdaTokens"/>); a 401 answer means the platform no
/// longer takes the token (expired, or the user's password or rights changed), so the call is made once more with a new one.
/// CTWing's create-command answer shape and the unit of its <c>ttl</c> are not in any CTWing document we could read
/// (protocols-notes §5.2): both stay flagged unverified here and in the gateway list.
/// </remarks>
public sealed class NbIotPlatformClient(HttpClient http, TimeProvider time, IotdaTokens? iotdaTokens = null)
{
    readonly IotdaTokens tokens = iotdaTokens ?? new IotdaTokens(time);

    public async Task<NbIotCreated?> CreateAsync(NbIotPlatform platform, string baseUrl, NbIotSettings settings, string deviceId, MeterAction action,
        TimeSpan expiry, CancellationToken ct)
    {
        var paras = new Dictionary<string, string> { ["action"] = Word(action) };
        return platform == NbIotPlatform.Iotda
            ? await CreateIotdaAsync(baseUrl, settings, deviceId, paras, expiry, ct).ConfigureAwait(false)
            : await CreateCtwingAsync(baseUrl, settings, deviceId, paras, expiry, ct).ConfigureAwait(false);
    }

    async Task<NbIotCreated?> CreateIotdaAsync(string baseUrl, NbIotSettings settings, string deviceId, Dictionary<string, string> paras, TimeSpan expiry,
        CancellationToken ct)
    {
        string? refused = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var token = await tokens.GetAsync(http, settings, refused, ct).ConfigureAwait(false);
            using var request = Iotda(baseUrl, settings, deviceId, paras, expiry, token);
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                refused = token;
                continue;
            }
            if (!response.IsSuccessStatusCode) return null;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
            return body.TryGetProperty("command_id", out var id) ? new NbIotCreated(id.GetString()!, body.TryGetProperty("status", out var s) ? s.GetString()! : "PENDING") : null;
        }
        throw new HttpRequestException("IoTDA refused a freshly issued IAM token (401).");
    }

    async Task<NbIotCreated?> CreateCtwingAsync(string baseUrl, NbIotSettings settings, string deviceId, Dictionary<string, string> paras, TimeSpan expiry,
        CancellationToken ct)
    {
        using var request = Ctwing(baseUrl, settings, deviceId, paras, expiry);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) return null;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
        // CTWing's create answer is not documented in what we read (§5.2, unverified): accept result.commandId or commandId.
        var r = body.TryGetProperty("result", out var result) ? result : body;
        return r.TryGetProperty("commandId", out var cid)
            ? new NbIotCreated(cid.ValueKind == JsonValueKind.Number ? cid.GetInt64().ToString(CultureInfo.InvariantCulture) : cid.GetString()!,
                r.TryGetProperty("commandStatus", out var cs) ? cs.GetString()! : "PENDING")
            : null;
    }

    /// <summary>The command word our NB meters' codec understands.</summary>
    public static string Word(MeterAction action) => action switch
    {
        MeterAction.Trip => "trip",
        MeterAction.Close => "close",
        MeterAction.ValveOpen => "valveOpen",
        MeterAction.ValveClose => "valveClose",
        MeterAction.KeepPowerOn => "keepOn",
        _ => "restorePrepaid",
    };

    static HttpRequestMessage Iotda(string baseUrl, NbIotSettings s, string deviceId, Dictionary<string, string> paras, TimeSpan expiry, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl.TrimEnd('/')}/v5/iot/{s.ProjectId}/devices/{Uri.EscapeDataString(deviceId)}/async-commands")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["service_id"] = "Switch", ["command_name"] = "Set", ["paras"] = paras,
                // At most 2 days at IoTDA (§5.1).
                ["expire_time"] = (long)Math.Min(expiry.TotalSeconds, 172_800), ["send_strategy"] = "delay",
            }),
        };
        request.Headers.Add("X-Auth-Token", token);
        return request;
    }

    HttpRequestMessage Ctwing(string baseUrl, NbIotSettings s, string deviceId, Dictionary<string, string> paras, TimeSpan expiry)
    {
        var body = JsonSerializer.Serialize(new
        {
            content = new { @params = paras, serviceIdentifier = "Switch" },
            deviceId, @operator = "prepaid", productId = s.ProductId,
            // ttl unit is not documented in what we read; hours by the SDK example ("72") [unverified].
            ttl = ((long)Math.Ceiling(expiry.TotalHours)).ToString(CultureInfo.InvariantCulture), level = "1",
        });
        var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl.TrimEnd('/')}/aep_device_command/command")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        const string version = "20190712225145";
        request.Headers.Add("application", s.AppKey ?? "");
        request.Headers.Add("timestamp", timestamp);
        request.Headers.Add("version", version);
        request.Headers.Add("MasterKey", s.MasterKey ?? "");
        request.Headers.Add("signature", CtwingSignature(s.AppKey ?? "", s.AppSecret ?? "", timestamp,
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["MasterKey"] = s.MasterKey ?? "" }, body));
        return request;
    }

    /// <summary>Base64(HMAC-SHA1(AppSecret, "application:{key}\ntimestamp:{ts}\n" + sorted "k:v\n" params + body + "\n")), per the AEP SDK.</summary>
    public static string CtwingSignature(string appKey, string appSecret, string timestamp, SortedDictionary<string, string> parameters, string? body)
    {
        var text = new StringBuilder($"application:{appKey}\ntimestamp:{timestamp}\n");
        foreach (var (k, v) in parameters) text.Append(k).Append(':').Append(v).Append('\n');
        if (!string.IsNullOrEmpty(body)) text.Append(body).Append('\n');
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(text.ToString())));
    }
}
