namespace Prepaid.Api.Auth;

public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Cashier = "cashier";
    public const string Auditor = "auditor";
    public const string Tenant = "tenant";

    public static readonly string[] All = [Admin, Operator, Cashier, Auditor, Tenant];

    /// <summary>Policy names used on endpoint groups.</summary>
    public const string Staff = "staff";          // every operator-side role, read access
    public const string Manage = "manage";        // admin, operator: sites, meters, tariffs, accounts
    public const string Cash = "cash";            // admin, operator, cashier: top-ups
    public const string Pay = "pay";              // admin, operator, cashier, tenant: start a payment order (auditors change nothing)
    public const string AdminOnly = "admin";

    public const string TenantClaim = "prepaid:tenant";
}
