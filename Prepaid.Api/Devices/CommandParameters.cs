using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Prepaid.Devices.Dlt645;
using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>
/// What a pushTariff / pushSettings command writes, fixed when it is queued so a retry writes the same values. The operator
/// names them in the payload; without a payload they come from the meter's account.
/// <code>
/// pushTariff    {"prices": {"sharp": "1.0300", "peak": "0.9500", "flat": "0.6853", "valley": "0.3500"}}   per unit, ≤ 4 decimals
///               (none: the account tariff's version in force now; a flat price fills all four)
/// pushSettings  {"alarm1": "30.00", "alarm2": "10.00", "overloadLimit": "5.500"}   yuan ≤ 2 decimals, kW ≤ 3 decimals; any subset
///               (none: the account's alarm-1 / alarm-2 thresholds)
/// </code>
/// Stored as <c>{"parameters":[{"name":"price1","scaled":10300}, …]}</c>, in the units of <see cref="MeterParameter"/>.
/// </summary>
public static class CommandParameters
{
    public sealed record Item(string Name, long Scaled);

    static readonly string[] Periods = ["sharp", "peak", "flat", "valley"];

    static readonly (string Field, MeterParameter Parameter)[] SettingFields =
        [("alarm1", MeterParameter.Alarm1), ("alarm2", MeterParameter.Alarm2), ("overloadLimit", MeterParameter.OverloadLimit)];

    /// <summary>Null when the payload is well formed (or absent), else what is wrong with it.</summary>
    public static string? PayloadProblem(string? kind, JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } p) return null;
        if (kind == "pushTariff" && p.TryGetProperty("prices", out var prices))
            return Periods.All(k => prices.ValueKind == JsonValueKind.Object && prices.TryGetProperty(k, out var v) && Scale(v, 4) is not null)
                ? null : "prices needs sharp, peak, flat and valley, each a price with at most 4 decimals.";
        if (kind == "pushSettings")
        {
            var given = SettingFields.Where(f => p.TryGetProperty(f.Field, out _)).ToList();
            if (given.Count == 0) return "Name at least one of alarm1, alarm2 (amounts, at most 2 decimals) and overloadLimit (kW, at most 3 decimals).";
            foreach (var (field, parameter) in given)
                if (Scale(p.GetProperty(field), parameter.Decimals()) is null)
                    return $"{field} must be a non-negative number with at most {parameter.Decimals()} decimals.";
        }
        return null;
    }

    /// <summary>The values to write, resolved against the meter's account where the payload leaves them out, and checked
    /// against what the meter's profile can take; an error says why this meter cannot take the command.</summary>
    public static async Task<(string? PayloadJson, string? Error)> ResolveAsync(DbConnection connection, DbTransaction? tx, long meterId, MeterProfile profile,
        string kind, string? payloadJson, DateTimeOffset now)
    {
        var payload = payloadJson is null ? (JsonElement?)null : JsonDocument.Parse(payloadJson).RootElement;
        var items = new List<MeterParameterValue>();
        if (kind == "pushTariff")
        {
            JsonElement? prices = payload is { } p && p.TryGetProperty("prices", out var given) ? given : await TariffPricesAsync(connection, tx, meterId, now);
            if (prices is not { } pr) return (null, "No prices given and the meter's account has no flat or time-of-use tariff in force.");
            for (var i = 0; i < 4; i++)
                items.Add(new MeterParameterValue(MeterParameters.Prices[i], Scale(pr.GetProperty(Periods[i]), 4)!.Value));
        }
        else
        {
            foreach (var (field, parameter) in SettingFields)
                if (payload is { } p && p.TryGetProperty(field, out var v))
                    items.Add(new MeterParameterValue(parameter, Scale(v, parameter.Decimals())!.Value));
            if (items.Count == 0)
            {
                if (await connection.QuerySingleOrDefaultAsync<(long, long)?>("""
                        SELECT a.alarm1_fen, a.alarm2_fen FROM accounts a JOIN account_meters am ON am.account_id = a.id AND am.closed_at_ms IS NULL
                        WHERE am.meter_id = @meterId
                        """, new { meterId }, tx) is not { } limits)
                    return (null, "No settings given and the meter has no open account to take them from.");
                items.Add(new MeterParameterValue(MeterParameter.Alarm1, limits.Item1));
                items.Add(new MeterParameterValue(MeterParameter.Alarm2, limits.Item2));
            }
        }
        var cannot = items.Where(i => !profile.Takes(i.Parameter)).Select(i => i.Parameter.Name()).ToList();
        if (cannot.Count > 0)
            return (null, profile.Parameters.Count == 0
                ? $"Profile {profile.Name} cannot take {string.Join(", ", cannot)}; it has no writable tariff or settings registers, so prices are applied by the platform."
                : $"Profile {profile.Name} cannot take {string.Join(", ", cannot)}.");
        var stored = items.Select(i => new Item(i.Parameter.Name(), i.Scaled));
        return (JsonSerializer.Serialize(new { parameters = stored }, new JsonSerializerOptions(JsonSerializerDefaults.Web)), null);
    }

    /// <summary>The stored values; commands queued before names were stored carry DL/T 645 data ids instead.</summary>
    public static IReadOnlyList<MeterParameterValue> Parse(string payloadJson) =>
        JsonDocument.Parse(payloadJson).RootElement.GetProperty("parameters").EnumerateArray()
            .Select(e => new MeterParameterValue(e.TryGetProperty("name", out var n)
                    ? MeterParameters.FromName(n.GetString()) ?? throw new FormatException($"Unknown parameter {n.GetString()}.")
                    : Dlt645Parameters.FromDataId(uint.Parse(e.GetProperty("dataId").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture))
                        ?? throw new FormatException("Unknown data id."),
                e.GetProperty("scaled").GetInt64()))
            .ToList();

    /// <summary>The tariff's prices in force now as {sharp, peak, flat, valley}; a flat price fills all four. Tiered prices depend on
    /// the month's usage and cannot live in a meter's four price registers.</summary>
    static async Task<JsonElement?> TariffPricesAsync(DbConnection connection, DbTransaction? tx, long meterId, DateTimeOffset now)
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

    /// <summary>"1.0300" at 4 decimals → 10300; null when not a non-negative number with at most that many decimals that fits 8 BCD digits.</summary>
    static long? Scale(JsonElement value, int decimals)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        // 8 BCD digits hold less than 10^8 whatever the decimals: anything larger is refused before it is scaled.
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0 || number >= 100_000_000m) return null;
        var scaled = number;
        for (var i = 0; i < decimals; i++) scaled *= 10;
        return scaled == decimal.Truncate(scaled) && scaled < 100_000_000m ? (long)scaled : null;
    }
}
