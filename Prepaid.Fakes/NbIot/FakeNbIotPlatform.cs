using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Devices.NbIot;

namespace Prepaid.Fakes.NbIot;

/// <summary>
/// A carrier platform for tests and the demo, speaking the shapes of protocols-notes §5: Huawei IoTDA's
/// <c>POST /v5/iot/{project}/devices/{device}/async-commands</c> behind Huawei Cloud IAM's <c>POST /v3/auth/tokens</c>
/// (a token in <c>X-Subject-Token</c>, valid 24 h, required in <c>X-Auth-Token</c>, 401 once expired), and CTWing's
/// <c>POST /aep_device_command/command</c> (plugged in as the "nbiot" HttpClient's handler), commands cached until the
/// device wakes, and pushes to our callback endpoints: property reports / dataReport, then command status (SUCCESSFUL /
/// DELIVERED, or EXPIRED). Each device is a sleepy NB meter: its register moves only when the test says it consumed,
/// never while cut off.
/// </summary>
public sealed class FakeNbIotPlatform(TimeProvider time) : HttpMessageHandler
{
    public sealed class Device(string id, NbIotPlatform platform, bool water)
    {
        public string Id { get; } = id;
        public NbIotPlatform Platform { get; } = platform;
        public bool Water { get; } = water;
        public long TotalMilli { get; set; }

        /// <summary>Relay open / valve closed.</summary>
        public bool SwitchOpen { get; set; }
    }

    sealed record Cached(string CommandId, string DeviceId, string Action, DateTimeOffset ExpiresAt);

    readonly Dictionary<string, Device> devices = new();
    readonly Dictionary<string, DateTimeOffset> tokens = new();
    int tokensIssued;
    readonly List<Cached> cached = new();
    readonly Dictionary<NbIotPlatform, (HttpClient Client, string Url)> callbacks = new();
    int nextId = 1000;

    public Device Add(string deviceId, NbIotPlatform platform, bool water = false)
    {
        lock (devices) return devices[deviceId] = new Device(deviceId, platform, water);
    }

    /// <summary>Where pushes go: our API's callback URL for that platform's gateway, token included.</summary>
    public void PushTo(NbIotPlatform platform, HttpClient client, string url) => callbacks[platform] = (client, url);

    public int CachedCount { get { lock (cached) return cached.Count; } }

    /// <summary>The IAM user and password the platform's account has; null accepts any (the demo).</summary>
    public (string User, string Password, string Domain)? IamAccount { get; set; }

    /// <summary>How long an issued token lives: 24 hours, as IAM documents.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public int TokensIssued => Volatile.Read(ref tokensIssued);

    /// <summary>Ends every token at once, as IAM does when the user's password or rights change: the next call gets 401.</summary>
    public void ExpireTokens() { lock (tokens) tokens.Clear(); }

    bool Valid(string? token)
    {
        lock (tokens) return token is not null && tokens.TryGetValue(token, out var until) && until > time.GetUtcNow();
    }

    HttpResponseMessage IssueToken(JsonElement json)
    {
        var user = json.GetProperty("auth").GetProperty("identity").GetProperty("password").GetProperty("user");
        var given = (user.GetProperty("name").GetString(), user.GetProperty("password").GetString(), user.GetProperty("domain").GetProperty("name").GetString());
        if (IamAccount is { } account && given != (account.User, account.Password, account.Domain))
            return Json(HttpStatusCode.Unauthorized, new { error = new { code = 401, title = "Unauthorized", message = "The username or password is wrong." } });
        var token = "MIIfake" + Interlocked.Increment(ref tokensIssued).ToString(CultureInfo.InvariantCulture);
        var issued = time.GetUtcNow();
        lock (tokens) tokens[token] = issued + TokenLifetime;
        var response = Json(HttpStatusCode.Created, new
        {
            token = new
            {
                methods = new[] { "password" },
                issued_at = issued.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                expires_at = (issued + TokenLifetime).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            },
        });
        response.Headers.Add("X-Subject-Token", token);
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        var json = JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement;
        var id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        if (request.Method == HttpMethod.Post && path == "/v3/auth/tokens") return IssueToken(json);
        if (request.Method == HttpMethod.Post && path.StartsWith("/v5/iot/", StringComparison.Ordinal) && path.EndsWith("/async-commands", StringComparison.Ordinal))
        {
            if (!Valid(request.Headers.TryGetValues("X-Auth-Token", out var auth) ? auth.FirstOrDefault() : null))
                return Json(HttpStatusCode.Unauthorized, new { error_msg = "The token must be updated." });
            var deviceId = Uri.UnescapeDataString(path.Split('/')[5]);
            if (!Knows(deviceId)) return Json(HttpStatusCode.NotFound, new { error_code = "IOTDA.014000", error_msg = "device not found" });
            var expire = json.TryGetProperty("expire_time", out var e) ? e.GetInt64() : 86_400;
            Cache(new Cached(id, deviceId, json.GetProperty("paras").GetProperty("action").GetString()!, time.GetUtcNow().AddSeconds(expire)));
            return Json(HttpStatusCode.Created, new
            {
                device_id = deviceId, command_id = id, service_id = "Switch", command_name = "Set", expire_time = expire, status = "PENDING",
                created_time = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), send_strategy = "delay",
            });
        }
        if (request.Method == HttpMethod.Post && path == "/aep_device_command/command")
        {
            if (!request.Headers.Contains("signature") || !request.Headers.Contains("application") || !request.Headers.Contains("timestamp"))
                return Json(HttpStatusCode.Forbidden, new { code = 1002, msg = "signature missing" });
            var deviceId = json.GetProperty("deviceId").GetString()!;
            if (!Knows(deviceId)) return Json(HttpStatusCode.OK, new { code = 8001, msg = "device not found" });
            var ttlHours = long.Parse(json.GetProperty("ttl").GetString()!, CultureInfo.InvariantCulture);
            Cache(new Cached(id, deviceId, json.GetProperty("content").GetProperty("params").GetProperty("action").GetString()!, time.GetUtcNow().AddHours(ttlHours)));
            return Json(HttpStatusCode.OK, new { code = 0, msg = "ok", result = new { commandId = long.Parse(id, CultureInfo.InvariantCulture), commandStatus = "PENDING" } });
        }
        return Json(HttpStatusCode.NotFound, new { msg = $"no route {request.Method} {path}" });
    }

    bool Knows(string deviceId) { lock (devices) return devices.ContainsKey(deviceId); }

    void Cache(Cached c) { lock (cached) cached.Add(c); }

    /// <summary>
    /// The device wakes: it has consumed <paramref name="consumedMilli"/> (unless cut off), takes its cached commands,
    /// and the platform pushes its report and then the commands' statuses to our callback.
    /// </summary>
    public async Task WakeAsync(string deviceId, long consumedMilli = 0)
    {
        Device device;
        List<Cached> mine;
        lock (devices) device = devices[deviceId];
        lock (cached)
        {
            mine = cached.Where(c => c.DeviceId == deviceId).ToList();
            cached.RemoveAll(c => c.DeviceId == deviceId);
        }
        if (!device.SwitchOpen) device.TotalMilli += consumedMilli;
        var now = time.GetUtcNow();
        var delivered = mine.Where(c => c.ExpiresAt > now).ToList();
        foreach (var c in delivered)
            device.SwitchOpen = c.Action switch { "trip" or "valveClose" => true, "close" or "valveOpen" => false, _ => device.SwitchOpen };
        await PushAsync(device.Platform, Report(device, now));
        foreach (var c in mine)
            await PushAsync(device.Platform, Status(device, c, c.ExpiresAt > now, now));
    }

    object Report(Device d, DateTimeOffset now)
    {
        var properties = new Dictionary<string, string>
        {
            ["total"] = (d.TotalMilli / 1000m).ToString(CultureInfo.InvariantCulture),
            [d.Water ? "valve" : "relay"] = d.Water ? (d.SwitchOpen ? "closed" : "open") : (d.SwitchOpen ? "open" : "closed"),
        };
        if (d.Platform == NbIotPlatform.Iotda)
            return new
            {
                resource = "device.property", @event = "report", event_time = Compact(now), request_id = Guid.NewGuid().ToString(),
                notify_data = new
                {
                    header = new { app_id = "app", device_id = d.Id, node_id = "8625920516514" + d.Id.Length, product_id = "prepaid-meter" },
                    body = new { services = new[] { new { service_id = "Meter", properties, event_time = Compact(now) } } },
                },
            };
        return new
        {
            upPacketSN = -1, upDataSN = -1, topic = "v1/up/ad", timestamp = now.ToUnixTimeMilliseconds(), tenantId = "2000033629", serviceId = "",
            protocol = "lwm2m", productId = "15114816", payload = new { serviceId = "Meter", serviceData = properties }, messageType = "dataReport",
            deviceType = "", deviceId = d.Id, assocAssetId = "", IMSI = "undefined", IMEI = "862592051651472",
        };
    }

    static object Status(Device d, Cached c, bool delivered, DateTimeOffset now)
    {
        if (d.Platform == NbIotPlatform.Iotda)
            return new
            {
                resource = "device.command.status", @event = "update", event_time = Compact(now),
                notify_data = new
                {
                    header = new { app_id = "app", device_id = d.Id },
                    body = new { command_id = c.CommandId, status = delivered ? "SUCCESSFUL" : "EXPIRED", result = delivered ? new { code = 200 } : null },
                },
            };
        return new
        {
            timestamp = now.ToUnixTimeMilliseconds(), tenantId = "2000033629", taskId = long.Parse(c.CommandId, CultureInfo.InvariantCulture),
            result = new { resultDetail = "", resultCode = delivered ? "DELIVERED" : "EXPIRED" }, protocol = "lwm2m", productId = "15114816",
            messageType = "commandResponse", deviceId = d.Id,
        };
    }

    async Task PushAsync(NbIotPlatform platform, object message)
    {
        var (client, url) = callbacks[platform];
        using var response = await client.PostAsJsonAsync(url, message);
        // A real platform retries non-200 answers; the fake makes a refused push visible to the test instead.
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"Callback answered {(int)response.StatusCode}.");
    }

    static string Compact(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status) { Content = JsonContent.Create(body) };
}
