using System.Globalization;
using Prepaid.Api.Localization;

namespace Prepaid.Api.Reports;

/// <summary>
/// What an Excel report says to a person: column headers and the API's names for things (alarm1, trip, cash) as
/// words, in the caller's language; free-text columns (errors, reasons) through the catalog. JSON keeps the keys
/// and names, which are the API's contract; the web app words them itself.
/// </summary>
public static class ReportWords
{
    static readonly Dictionary<string, string> Titles = new()
    {
        ["sales"] = "Sales", ["consumption"] = "Consumption", ["offline"] = "Offline meters", ["alarms"] = "Alarm history", ["commands"] = "Command log",
    };

    static readonly Dictionary<string, string> Headers = new()
    {
        ["at"] = "Time", ["site"] = "Site", ["accountId"] = "Account", ["tenant"] = "Tenant", ["kind"] = "Kind", ["from"] = "Previous state",
        ["balance"] = "Balance", ["serial"] = "Serial", ["status"] = "Status", ["state"] = "State", ["attempts"] = "Attempts", ["completedAt"] = "Completed at",
        ["error"] = "Error", ["utility"] = "Utility", ["readings"] = "Readings", ["quantity"] = "Quantity", ["amount"] = "Amount",
        ["lastReadingAt"] = "Last reading at", ["silentHours"] = "Hours silent", ["day"] = "Day", ["channel"] = "Channel", ["operator"] = "Operator",
        ["count"] = "Count", ["fee"] = "Fee", ["credited"] = "Credited", ["name"] = "Name", ["meterId"] = "Meter", ["reason"] = "Reason",
    };

    /// <summary>Columns whose values are the API's names for things.</summary>
    static readonly HashSet<string> WordColumns = ["kind", "from", "to", "status", "state", "utility", "channel", "method"];

    /// <summary>Columns of free text the platform wrote in English.</summary>
    static readonly HashSet<string> TextColumns = ["error", "detail", "reason", "message", "note"];

    static readonly Dictionary<string, string> Words = new()
    {
        ["normal"] = "Normal", ["alarm1"] = "Alarm 1", ["alarm2"] = "Alarm 2", ["arrears"] = "Arrears",
        ["trip"] = "Trip", ["close"] = "Close", ["keepOn"] = "Keep-on", ["restorePrepaid"] = "Restore prepaid", ["valveOpen"] = "Open the valve",
        ["valveClose"] = "Close the valve", ["pushTariff"] = "Push tariff", ["pushSettings"] = "Push settings",
        ["requested"] = "Requested", ["sent"] = "Sent", ["confirmed"] = "Confirmed", ["failed"] = "Failed", ["expired"] = "Expired",
        ["electricity"] = "Electricity", ["water"] = "Water", ["heat"] = "Heat",
        ["cash"] = "Cash", ["card"] = "Bank card", ["bank"] = "Bank transfer", ["alipay"] = "Alipay", ["wechat"] = "WeChat Pay",
    };

    public static string Title(string report, CultureInfo culture) => Catalog.Localize(Titles.GetValueOrDefault(report, report), culture);

    public static string Header(string key, CultureInfo culture) => Catalog.Localize(Headers.GetValueOrDefault(key) ?? Spaced(key), culture);

    /// <summary>Free text (an error, a reason) in the caller's language; JSON rows carry it so, like every message of the API.</summary>
    public static object? Text(string key, object? value, CultureInfo culture) =>
        value is string s && TextColumns.Contains(key) ? Catalog.Localize(s, culture) : value;

    public static object? Value(string key, object? value, CultureInfo culture) => value switch
    {
        string s when WordColumns.Contains(key) => Catalog.Localize(Words.GetValueOrDefault(s, s), culture),
        string s when TextColumns.Contains(key) => Catalog.Localize(s, culture),
        _ => value,
    };

    /// <summary>The English words and headers this class knows, for tests.</summary>
    public static IEnumerable<string> English => Titles.Values.Concat(Headers.Values).Concat(Words.Values).Distinct();

    /// <summary>"lastReadingAt" → "Last reading at": a header for a column this class does not know yet.</summary>
    static string Spaced(string key) =>
        string.Concat(key.Select((c, i) => i == 0 ? char.ToUpperInvariant(c).ToString() : char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
