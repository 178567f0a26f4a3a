using System.Text.Json;
using Prepaid.Api.Common;
using Prepaid.Engine;

namespace Prepaid.Api.Tariffs;

/// <summary>Between the API's validated tariff shape (also how versions are stored) and the engine's Tariff.</summary>
public static class TariffMapping
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string Serialize(IEnumerable<TariffVersionDto> versions) => JsonSerializer.Serialize(versions, Json);

    public static List<TariffVersionDto> Deserialize(string json) => JsonSerializer.Deserialize<List<TariffVersionDto>>(json, Json)!;

    public static Tariff ToEngine(Utility utility, IEnumerable<TariffVersionDto> versions) =>
        new(utility, versions.Select(ToEngine).OrderBy(v => v.EffectiveFrom).ToList());

    public static TariffVersion ToEngine(TariffVersionDto v)
    {
        var from = ApiFormat.Instant(v.EffectiveFrom!);
        return v.Kind switch
        {
            "flat" => new FlatVersion(from, ApiFormat.ParseDecimal(v.Price!)),
            "tou" => new TouVersion(from,
                v.Prices!.ToDictionary(p => ParsePeriod(p.Key), p => ApiFormat.ParseDecimal(p.Value)),
                v.Segments!.Select(s => new TouSegment(TimeOnly.ParseExact(s.From!, "HH:mm"), TimeOnly.ParseExact(s.To!, "HH:mm"), ParsePeriod(s.Period!))).ToList()),
            _ => new TieredVersion(from, v.Period == "year" ? TierPeriod.Year : TierPeriod.Month,
                v.Tiers!.Select(t => new Tier(t.UpTo is null ? null : ApiFormat.ParseDecimal(t.UpTo), ApiFormat.ParseDecimal(t.Price!))).ToList()),
        };
    }

    public static Period ParsePeriod(string name) => name switch
    {
        "sharp" => Period.Sharp,
        "peak" => Period.Peak,
        "flat" => Period.Flat,
        _ => Period.Valley,
    };

    public static string PeriodName(Period p) => p.ToString().ToLowerInvariant();
}
