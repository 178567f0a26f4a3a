namespace Prepaid.Api.Dashboard;

/// <summary>The colours of the field, in the order the overview shows them.</summary>
public static class DashboardStates
{
    public const string NotOpened = "notOpened";
    public const string Offline = "offline";
    public const string KeepOn = "keepOn";

    public static readonly string[] All = [NotOpened, "normal", "alarm1", "alarm2", "arrears", KeepOn, Offline];

    /// <summary>
    /// A meter without an open account is "not opened"; one whose data is stale is "offline" before anything else,
    /// because its balance state may no longer be true; keep-on (保电) hides the balance state because it never trips.
    /// </summary>
    public static string Of(long? accountId, bool online, bool keepOn, string? accountState) =>
        accountId is null ? NotOpened : !online ? Offline : keepOn ? KeepOn : accountState ?? "normal";
}
