using System.Globalization;
using System.Text.Json;
using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Metering;

namespace Prepaid.Devices.NbIot;

/// <summary>
/// Reads the platforms' push bodies. Never throws for a malformed body: a platform that pushes nonsense gets its
/// 200 (or it would retry the same nonsense) and the message is dropped with a reason.
/// </summary>
/// <remarks>
/// Meter data in a push, as our NB meters' codec plugin (IoTDA) or profile (CTWing) defines it:
/// <code>{"total": "1234.56", "relay": "open" | "closed"}   or   {"total": "12.345", "valve": "open" | "closed"}</code>
/// An electricity meter may add its instantaneous power, <c>"power": "3.250"</c> (kW, at most 3 decimals).
/// A CTWing transparent product instead carries the meter's raw frame base64 in <c>payload.APPdata</c>; a CJ/T 188
/// 901F reply there is decoded with our codec, its DI in either byte order.
/// </remarks>
public static class NbIotPayloads
{
    public sealed record Parsed(NbIotReport? Report, NbIotCommandStatus? Status, string? Ignored);

    public static Parsed ParseIotda(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            var resource = Str(root, "resource");
            var notify = root.GetProperty("notify_data");
            var deviceId = notify.TryGetProperty("header", out var header) ? Str(header, "device_id") : null;
            var payload = notify.GetProperty("body");
            if (resource == "device.property" && deviceId is not null)
            {
                foreach (var service in payload.GetProperty("services").EnumerateArray())
                    if (service.TryGetProperty("properties", out var props) && Snapshot(props) is { } s)
                        return new(new NbIotReport(deviceId, s, IotdaTime(Str(service, "event_time"))), null, null);
                return new(new NbIotReport(deviceId, null, null), null, null);
            }
            if (resource == "device.command.status")
            {
                var id = Str(payload, "command_id");
                var status = Str(payload, "status");
                if (id is null || status is null) return new(null, null, "command status without command_id or status");
                var result = payload.TryGetProperty("result", out var r) ? r.GetRawText() : null;
                return new(null, new NbIotCommandStatus(id, deviceId, status, NbIotStatuses.Outcome(status), result), null);
            }
            return new(null, null, $"resource {resource} is not handled");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArithmeticException)
        {
            return new(null, null, "not an IoTDA push: " + e.Message);
        }
    }

    public static Parsed ParseCtwing(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            var type = Str(root, "messageType");
            var deviceId = Str(root, "deviceId");
            DateTimeOffset? at = root.TryGetProperty("timestamp", out var ts) && ts.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            switch (type)
            {
                case "dataReport" when deviceId is not null:
                {
                    var payload = root.GetProperty("payload");
                    MeterSnapshot? s = null;
                    if (payload.TryGetProperty("APPdata", out var app) && app.GetString() is { } b64) s = FromFrame(Convert.FromBase64String(b64));
                    else if (payload.TryGetProperty("serviceData", out var data)) s = Snapshot(data);
                    else s = Snapshot(payload);
                    return new(new NbIotReport(deviceId, s, at), null, null);
                }
                case "commandResponse":
                {
                    var task = root.GetProperty("taskId");
                    var id = task.ValueKind == JsonValueKind.Number ? task.GetInt64().ToString(CultureInfo.InvariantCulture) : task.GetString();
                    var result = root.GetProperty("result");
                    var code = Str(result, "resultCode");
                    if (id is null || code is null) return new(null, null, "commandResponse without taskId or resultCode");
                    return new(null, new NbIotCommandStatus(id, deviceId, code, NbIotStatuses.Outcome(code), Str(result, "resultDetail")), null);
                }
                case "deviceOnlineOfflineReport" when deviceId is not null:
                    return new(new NbIotReport(deviceId, null, at), null, null);
                default:
                    return new(null, null, $"messageType {type} is not handled");
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArithmeticException)
        {
            return new(null, null, "not a CTWing push: " + e.Message);
        }
    }

    const decimal MaxTotal = 1_000_000_000_000m;

    static string? TextOf(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    /// <summary>Meter data from a properties object; null when it carries none.</summary>
    public static MeterSnapshot? Snapshot(JsonElement props)
    {
        if (props.ValueKind != JsonValueKind.Object || !props.TryGetProperty("total", out var t)) return null;
        var text = t.ValueKind == JsonValueKind.Number ? t.GetRawText() : t.GetString();
        // No register carries more than 12 integer digits; a larger value is not meter data (and would not fit thousandths in a long).
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var total) || total < 0 || total >= MaxTotal) return null;
        bool? open = null;
        if (props.TryGetProperty("relay", out var relay)) open = TextOf(relay) switch { "open" => true, "closed" => false, _ => null };
        else if (props.TryGetProperty("valve", out var valve)) open = TextOf(valve) switch { "closed" => true, "open" => false, _ => null };
        return new MeterSnapshot((long)(total * 1000m), null, open, PowerW: PowerW(props));
    }

    /// <summary>"power" in kW (0 … 100000, at most 3 decimals) as W; null when absent or not such a number.</summary>
    static long? PowerW(JsonElement props)
    {
        if (!props.TryGetProperty("power", out var p)) return null;
        var text = p.ValueKind == JsonValueKind.Number ? p.GetRawText() : TextOf(p);
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var kw) || kw < 0 || kw > 100_000m) return null;
        var watts = kw * 1000m;
        return watts == decimal.Truncate(watts) ? (long)watts : null;
    }

    static MeterSnapshot? FromFrame(byte[] frame)
    {
        var decoded = Cjt188Codec.Decode(frame);
        if (decoded.Frame is not { } f) return null;
        // A transparent product names no vendor: 901F in either byte order is still 901F (1F90 is no other DI).
        var reply = Cjt188Read.ParseReply(f, Cjt188Options.Default);
        if (reply.Status != Cjt188ReplyStatus.Ok) reply = Cjt188Read.ParseReply(f, Cjt188Options.Default with { ReadDiOrder = Cjt188DiOrder.HighByteFirst });
        if (reply.Value?.CurrentFlowMillilitres is not { } ml) return null;
        bool? closed = reply.Value.Status.Valve switch { Cjt188ValveState.Closed => true, Cjt188ValveState.Open => false, _ => null };
        return new MeterSnapshot(ml / 1000, null, closed);
    }

    static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>IoTDA's compact UTC time, yyyyMMdd'T'HHmmss'Z'.</summary>
    public static DateTimeOffset? IotdaTime(string? text) =>
        DateTimeOffset.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
