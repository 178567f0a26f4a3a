namespace Prepaid.Api.Helpdesk;

/// <summary>What a request can be about, the states it passes through, and the sizes a request is held to.</summary>
public static class HelpdeskRules
{
    public static readonly string[] Categories = ["supplyOutage", "meterFault", "billingQuestion", "leak", "other"];
    public const string CategoryPattern = "^(supplyOutage|meterFault|billingQuestion|leak|other)$";
    public const string CategoryRule = "Must be supplyOutage, meterFault, billingQuestion, leak or other.";

    /// <summary>open → assigned → closed; a closed request is reopened to assigned (or open, with nobody assigned).</summary>
    public const string Open = "open", Assigned = "assigned", Closed = "closed";
    public static readonly string[] States = [Open, Assigned, Closed];
    public const string StatePattern = "^(open|assigned|closed)$";

    /// <summary>Characters of a request's text, a comment or a note.</summary>
    public const int TextMax = 2000;
    public const string TextRule = "Must be 1 to 2000 characters, not only spaces, and no control characters but line breaks and tabs.";

    public const int PhotoMaxBytes = 5 * 1024 * 1024;

    /// <summary>Base64 characters of the largest photo, with room for a data: URL's prefix.</summary>
    public const int PhotoMaxChars = (PhotoMaxBytes + 2) / 3 * 4 + 100;

    // A NUL or other control character is no part of a message a person writes, and PostgreSQL refuses a NUL in text.
    public static bool IsText(string? text) =>
        text is { Length: > 0 and <= TextMax } && !string.IsNullOrWhiteSpace(text) && !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));
}
