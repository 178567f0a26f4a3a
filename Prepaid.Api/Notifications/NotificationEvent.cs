namespace Prepaid.Api.Notifications;

/// <summary>
/// Something a tenant may want to hear. <paramref name="DedupKey"/> names the event itself (e.g. <c>leak:alarm:17</c>):
/// the same key enqueued twice is told once per channel. Parameters are the template's values, already formatted.
/// </summary>
public sealed record NotificationEvent(string Kind, long TenantId, long? AccountId, string DedupKey, IReadOnlyDictionary<string, string> Params);
