using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.Accounts;

/// <summary>An account as a posting transaction sees it: thresholds, keep-on, state and the last requested switch.</summary>
public sealed class AccountRuntime
{
    public required long Id { get; init; }
    public required long SiteId { get; init; }
    public required long WalletLedgerId { get; init; }
    public required AccountPolicy Policy { get; init; }
    public required decimal FeeRate { get; init; }
    public required bool KeepOn { get; init; }
    public required bool Closed { get; init; }
    public AccountState State { get; set; }
    public SwitchAction? LastSwitch { get; set; }
    public bool Dirty { get; set; }

    sealed record Row(long Id, long SiteId, long WalletLedgerId, long Alarm1Fen, long Alarm2Fen, long OverdraftFen, long ReconnectFen,
        string FeeRate, long KeepOn, string State, string? LastSwitch, long? ClosedAtMs);

    public static async Task<Dictionary<long, AccountRuntime>> LoadAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IEnumerable<long> ids)
    {
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT id, site_id, wallet_ledger_id, alarm1_fen, alarm2_fen, overdraft_fen, reconnect_fen, fee_rate, keep_on, state, last_switch, closed_at_ms
            FROM accounts WHERE id IN {dialect.IdsFromJson("@ids")}
            """, new { ids = System.Text.Json.JsonSerializer.Serialize(ids.Distinct()) }, tx);
        return rows.ToDictionary(r => r.Id, r => new AccountRuntime
        {
            Id = r.Id, SiteId = r.SiteId, WalletLedgerId = r.WalletLedgerId,
            Policy = new AccountPolicy(new Money(r.Alarm1Fen), new Money(r.Alarm2Fen), new Money(r.OverdraftFen), new Money(r.ReconnectFen)),
            FeeRate = ApiFormat.ParseDecimal(r.FeeRate), KeepOn = r.KeepOn == 1, Closed = r.ClosedAtMs is not null,
            State = ApiFormat.ParseState(r.State),
            LastSwitch = r.LastSwitch switch { "trip" => SwitchAction.Trip, "close" => SwitchAction.Close, _ => null },
        });
    }

    /// <summary>R16 after a posting: new state, and a trip or close request for every meter of the account.</summary>
    public void AfterPosting(SiteRuntime site, Money before, Money after, DateTimeOffset now, IReadOnlyList<long> meterIds, OutboxWriter outbox)
    {
        var decision = ControlPolicy.Decide(before, after, Policy, KeepOn, LastSwitch, site.Cutoff, site.Zone, now);
        if (decision.StateChanged)
        {
            State = decision.After;
            Dirty = true;
            outbox.StateChanged(site.Id, Id, decision.Before, decision.After, after, now);
        }
        if (decision.Switch is { } action)
        {
            LastSwitch = action;
            Dirty = true;
            foreach (var meterId in meterIds)
                outbox.SwitchRequested(site.Id, Id, meterId, action, decision.NotBefore ?? now, after, now);
        }
    }

    public static async Task SaveAsync(DbConnection connection, DbTransaction tx, IEnumerable<AccountRuntime> accounts)
    {
        var dirty = accounts.Where(a => a.Dirty).ToList();
        if (dirty.Count == 0) return;
        await connection.ExecuteAsync("UPDATE accounts SET state = @state, last_switch = @lastSwitch WHERE id = @id",
            dirty.Select(a => new { id = a.Id, state = ApiFormat.State(a.State), lastSwitch = a.LastSwitch?.ToString().ToLowerInvariant() }), tx);
        foreach (var a in dirty) a.Dirty = false;
    }
}
