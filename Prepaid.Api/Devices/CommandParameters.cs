using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Prepaid.Devices.Dlt645;

namespace Prepaid.Api.Devices;

/// <summary>
/// What a pushTariff / pushSettings command writes, fixed when it is queued so a retry writes the same values:
/// prices (sharp, peak, flat, valley per unit) and the alarm-1/alarm-2 money limits, from the command's payload or,
/// without one, from the meter's account (its tariff's version in force now, its alarm thresholds).
/// </summary>
public static class CommandParameters
{
    public sealed record Item(string DataId, long Scaled);

    static readonly string[] Periods = ["sharp", "peak", "flat", "valley"];

    /// <summary>A payload an operator may send: {prices:{sharp,peak,flat,valley}} or {alarm1, alarm2}; null when it is well formed.</summary>
    public static string? PayloadProblem(string? kind, JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } p) return null;
        if (kind == "pushTariff" && p.TryGetProperty("prices", out var prices))
            return Periods.All(k => prices.ValueKind == JsonValueKind.Object && prices.TryGetProperty(k, out var v) && Scale(Text(v), 4) is not null)
                ? null : "prices needs sharp, peak, flat and valley, each a price string with at most 4 decimals.";
        if (kind == "pushSettings")
            return new[] { "alarm1", "alarm2" }.All(k => p.TryGetProperty(k, out var v) && Scale(Text(v), 2) is not null)
                ? null : "alarm1 and alarm2 are needed, each an amount string with at most 2 decimals.";
        return null;
    }

    public static async Task<(string? PayloadJson, string? Error)> ResolveAsync(DbConnection connection, DbTransaction tx, long meterId, string kind,
        string? payloadJson, DateTimeOffset now)
    {
        var payload = payloadJson is null ? (JsonElement?)null : JsonDocument.Parse(payloadJson).RootElement;
        var items = new List<Item>();
        if (kind == "pushTariff")
        {
            JsonElement? prices = payload is { } p && p.TryGetProperty("prices", out var given) ? given : await TariffPricesAsync(connection, tx, meterId, now);
            if (prices is not { } pr) return (null, "No prices given and the meter's account has no flat or time-of-use tariff in force.");
            for (var i = 0; i < 4; i++)
                items.Add(new Item(Dlt645Write.TariffPrice(i + 1).ToString("X8", CultureInfo.InvariantCulture), Scale(pr.GetProperty(Periods[i]).GetString(), 4)!.Value));
        }
        else
        {
            long alarm1, alarm2;
            if (payload is { } p && p.TryGetProperty("alarm1", out var a1) && p.TryGetProperty("alarm2", out var a2))
                (alarm1, alarm2) = (Scale(a1.GetString(), 2)!.Value, Scale(a2.GetString(), 2)!.Value);
            else if (await connection.QuerySingleOrDefaultAsync<(long, long)?>("""
                    SELECT a.alarm1_fen, a.alarm2_fen FROM accounts a JOIN account_meters am ON am.account_id = a.id AND am.closed_at_ms IS NULL
                    WHERE am.meter_id = @meterId
                    """, new { meterId }, tx) is { } limits)
                (alarm1, alarm2) = limits;
            else return (null, "No settings given and the meter has no open account to take them from.");
            items.Add(new Item(Dlt645Write.Alarm1Limit.ToString("X8", CultureInfo.InvariantCulture), alarm1));
            items.Add(new Item(Dlt645Write.Alarm2Limit.ToString("X8", CultureInfo.InvariantCulture), alarm2));
        }
        return (JsonSerializer.Serialize(new { parameters = items }, new JsonSerializerOptions(JsonSerializerDefaults.Web)), null);
    }

    public static IReadOnlyList<Dlt645Parameter> Parse(string payloadJson) =>
        JsonDocument.Parse(payloadJson).RootElement.GetProperty("parameters").EnumerateArray()
            .Select(e => new Dlt645Parameter(uint.Parse(e.GetProperty("dataId").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture), e.GetProperty("scaled").GetInt64()))
            .ToList();

    /// <summary>The tariff's prices in force now as {sharp, peak, flat, valley}; a flat price fills all four. Tiered prices depend on
    /// the month's usage and cannot live in a meter's four price registers.</summary>
    static async Task<JsonElement?> TariffPricesAsync(DbConnection connection, DbTransaction tx, long meterId, DateTimeOffset now)
    {
        var versions = await connection.QuerySingleOrDefaultAsync<string?>("""
            SELECT t.versions_json FROM account_meters am JOIN tariffs t ON t.id = am.tariff_id WHERE am.meter_id = @meterId AND am.closed_at_ms IS NULL
            """, new { meterId }, tx);
        if (versions is null) return null;
        var current = JsonDocument.Parse(versions).RootElement.EnumerateArray()
            .Where(v => DateTimeOffset.TryParse(v.GetProperty("effectiveFrom").GetString(), CultureInfo.InvariantCulture, out var from) && from <= now)
            .OrderBy(v => DateTimeOffset.Parse(v.GetProperty("effectiveFrom").GetString()!, CultureInfo.InvariantCulture)).LastOrDefault();
        if (current.ValueKind != JsonValueKind.Object) return null;
        return current.GetProperty("kind").GetString() switch
        {
            "tou" => current.GetProperty("prices").Clone(),
            "flat" => JsonSerializer.SerializeToElement(Periods.ToDictionary(p => p, _ => current.GetProperty("price").GetString())),
            _ => null,
        };
    }

    static string? Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    /// <summary>"1.0300" at 4 decimals → 10300; null when not a non-negative number with at most that many decimals that fits 8 BCD digits.</summary>
    static long? Scale(string? text, int decimals)
    {
        // 8 BCD digits hold less than 10^8 whatever the decimals: anything larger is refused before it is scaled.
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value >= 100_000_000m) return null;
        var scaled = value * (decimal)Math.Pow(10, decimals);
        return scaled == decimal.Truncate(scaled) && scaled < 100_000_000m ? (long)scaled : null;
    }
}
