namespace Prepaid.Api.Dashboard;

/// <summary>
/// One row of the live meter grid, as GET /api/dashboard/meters answers it and as meterChanged pushes it.
/// <c>State</c> is the dashboard colour: notOpened, normal, alarm1, alarm2, arrears, keepOn or offline.
/// <c>SupplyCutAt</c>: when a trip that waits (the friendly cut-off window) will act, for an account in arrears; null otherwise.
/// </summary>
public sealed record GridRow(
    long MeterId, long SiteId, string Serial, string Utility, string Relay, bool Online, string State,
    long? AccountId, string? AccountState, bool KeepOn, string? Balance, long? TenantId, string? Tenant, string? Room,
    string? LastReadingAt, string? LastTotal, string? SupplyCutAt = null);

/// <summary>What accountChanged pushes: the wallet's balance and state after a posting.</summary>
public sealed record AccountChange(long AccountId, long SiteId, long TenantId, string Balance, string State, bool KeepOn);
