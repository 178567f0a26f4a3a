using Prepaid.Api.Common;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>Registers between the API's strings, the engine's decimals and the database's thousandths.</summary>
public static class RegisterJson
{
    public static Dictionary<string, string> Of(long total, long? sharp, long? peak, long? flat, long? valley)
    {
        var d = new Dictionary<string, string> { ["total"] = ApiFormat.Decimal(ApiFormat.FromMilli(total)) };
        if (sharp is { } s) d["sharp"] = ApiFormat.Decimal(ApiFormat.FromMilli(s));
        if (peak is { } p) d["peak"] = ApiFormat.Decimal(ApiFormat.FromMilli(p));
        if (flat is { } f) d["flat"] = ApiFormat.Decimal(ApiFormat.FromMilli(f));
        if (valley is { } v) d["valley"] = ApiFormat.Decimal(ApiFormat.FromMilli(v));
        return d;
    }

    /// <summary>The registers as given, whatever their range: a rejected reading is shown as it arrived.</summary>
    public static Dictionary<string, string> Of(Registers r)
    {
        var d = new Dictionary<string, string> { ["total"] = ApiFormat.Decimal(r.Total) };
        foreach (var p in Enum.GetValues<Period>())
            if (r[p] is { } v) d[p.ToString().ToLowerInvariant()] = ApiFormat.Decimal(v);
        return d;
    }

    /// <summary>Registers as the API sent them (validated by <see cref="RegistersValidator"/>).</summary>
    public static Registers From(RegistersDto r) => new(ApiFormat.ParseDecimal(r.Total!), D(r.Sharp), D(r.Peak), D(r.Flat), D(r.Valley));

    static decimal? D(string? text) => text is null ? null : ApiFormat.ParseDecimal(text);

    public static Registers FromMilli(long total, long? sharp, long? peak, long? flat, long? valley) =>
        new(ApiFormat.FromMilli(total), M(sharp), M(peak), M(flat), M(valley));

    static decimal? M(long? milli) => milli is { } m ? ApiFormat.FromMilli(m) : null;

    public static long? Milli(decimal? value) => value is { } v ? ApiFormat.Milli(v) : null;
}
