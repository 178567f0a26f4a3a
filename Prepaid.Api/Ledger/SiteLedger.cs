using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Ledger;

/// <summary>The ledger accounts of a site (R21): revenue per utility, fee income, clearing per channel, and the rest.</summary>
public static class SiteLedger
{
    public const string Wallet = "wallet";
    public const string FeeIncome = "fee_income";
    public const string CommonArea = "common_area";
    public const string RentIncome = "rent_income";
    public const string RefundsPayable = "refunds_payable";

    /// <summary>R28: income of property fees, and of service and other fixed fees (rent has <see cref="RentIncome"/>).</summary>
    public const string PropertyFeeIncome = "property_fee_income";
    public const string ChargesIncome = "charges_income";

    /// <summary>R29: deposits held for tenants, never in their wallets.</summary>
    public const string Deposits = "deposits";

    /// <summary>R26: what tenants still owe after moving out (a receivable: its balance is negative).</summary>
    public const string TenantDebts = "tenant_debts";

    /// <summary>R25: refunds requested and not yet confirmed by their channel; utility-independent, one per site.</summary>
    public const string RefundsPending = "refunds_pending";

    /// <summary>What a cashier takes at the counter: cash, a bank card, a bank transfer.</summary>
    public static readonly string[] CounterChannels = ["cash", "card", "bank"];

    /// <summary>The mobile channels: money from them arrives only by the channel's own verified word, never at the counter.</summary>
    public static readonly string[] PaymentChannels = ["alipay", "wechat"];

    public static readonly string[] Channels = [.. CounterChannels, .. PaymentChannels];

    public static string Revenue(Utility u) => u switch
    {
        Utility.Electricity => "revenue_electricity",
        Utility.Water => "revenue_water",
        _ => "revenue_heat",
    };

    public static string Clearing(string channel) => "clearing_" + channel;

    static readonly string[] Kinds =
    [
        Revenue(Utility.Electricity), Revenue(Utility.Water), Revenue(Utility.Heat), FeeIncome, CommonArea, RentIncome, RefundsPayable, RefundsPending,
        PropertyFeeIncome, ChargesIncome, Deposits, TenantDebts,
        .. Channels.Select(Clearing),
    ];

    public static async Task EnsureAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, long siteId)
    {
        var existing = (await connection.QueryAsync<string>(
            "SELECT kind FROM ledger_accounts WHERE site_id = @siteId AND account_id IS NULL", new { siteId }, tx)).ToHashSet();
        foreach (var kind in Kinds.Where(k => !existing.Contains(k)))
            await connection.ExecuteAsync("INSERT INTO ledger_accounts (site_id, kind, balance_fen) VALUES (@siteId, @kind, 0)", new { siteId, kind }, tx);
    }

    public static Task<long> IdAsync(DbConnection connection, DbTransaction? tx, long siteId, string kind) =>
        connection.ExecuteScalarAsync<long>("SELECT id FROM ledger_accounts WHERE site_id = @siteId AND kind = @kind AND account_id IS NULL",
            new { siteId, kind }, tx);

    public static async Task<Dictionary<string, long>> IdsAsync(DbConnection connection, DbTransaction? tx, long siteId) =>
        (await connection.QueryAsync<(long Id, string Kind)>(
            "SELECT id, kind FROM ledger_accounts WHERE site_id = @siteId AND account_id IS NULL", new { siteId }, tx))
        .ToDictionary(r => r.Kind, r => r.Id);
}
