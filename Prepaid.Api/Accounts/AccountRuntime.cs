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
    /// <summary>R28: what charges that never trip are owed; switching counts the balance without it (<see cref="Engine.ChargeArrears"/>).</summary>
    public Money ChargeArrears { get; set; }
    public bool Dirty { get; set; }

    /// <summary>The columns <see cref="Read"/> reads, in its order, of the accounts table under <paramref name="alias"/>.</summary>
    public static string Columns(string alias) => string.Join(", ", new[]
    {
        "id", "site_id", "wallet_ledger_id", "alarm1_fen", "alarm2_fen", "overdraft_fen", "reconnect_fen", "fee_rate", "keep_on", "state", "last_switch",
        "closed_at_ms", "charge_arrears_fen",
    }.Select(c => $"{alias}.{c}"));

    public const int ColumnCount = 13;

    /// <summary>Read by hand: ingest loads every account of a batch, and typed getters avoid Dapper's boxing.</summary>
    public static async Task<Dictionary<long, AccountRuntime>> LoadAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IEnumerable<long> ids)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT {Columns("a")} FROM accounts a WHERE a.id IN {dialect.IdsFromJson("@ids")}";
        dialect.Parameter(command, "@ids", ParameterType.LongText).Value = System.Text.Json.JsonSerializer.Serialize(ids.Distinct());
        var accounts = new Dictionary<long, AccountRuntime>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var account = Read(new ReaderRow(r), 0);
            accounts[account.Id] = account;
        }
        return accounts;
    }

    /// <summary>An account from the <see cref="ColumnCount"/> columns of <see cref="Columns"/> that start at <paramref name="at"/>.</summary>
    public static AccountRuntime Read<TRow>(TRow r, int at) where TRow : IRow => new()
    {
        Id = r.Int64(at), SiteId = r.Int64(at + 1), WalletLedgerId = r.Int64(at + 2),
        Policy = new AccountPolicy(new Money(r.Int64(at + 3)), new Money(r.Int64(at + 4)), new Money(r.Int64(at + 5)), new Money(r.Int64(at + 6))),
        FeeRate = ApiFormat.ParseDecimal(r.Text(at + 7)), KeepOn = r.Int64(at + 8) == 1, Closed = !r.IsNull(at + 11),
        State = ApiFormat.ParseState(r.Text(at + 9)),
        LastSwitch = r.IsNull(at + 10) ? null : r.Text(at + 10) switch { "trip" => SwitchAction.Trip, "close" => SwitchAction.Close, _ => null },
        ChargeArrears = new Money(r.Int64(at + 12)),
    };

    /// <summary>
    /// R16 after a posting: new state, and a trip or close request for every meter of the account.
    /// <paramref name="nonTrippingCharge"/> is the posting's amount when it is a charge whose agreement never trips (R28).
    /// </summary>
    public void AfterPosting(SiteRuntime site, Money before, Money after, DateTimeOffset now, IReadOnlyList<long> meterIds, OutboxWriter outbox,
        Money nonTrippingCharge = default)
    {
        var owedBefore = ChargeArrears;
        var owedAfter = Engine.ChargeArrears.After(owedBefore, after, nonTrippingCharge);
        if (owedAfter != owedBefore)
        {
            ChargeArrears = owedAfter;
            Dirty = true;
        }
        var decision = ControlPolicy.Decide(before, after, owedBefore, owedAfter, Policy, KeepOn, LastSwitch, site.Cutoff, site.Zone, now);
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
        await connection.ExecuteAsync("UPDATE accounts SET state = @state, last_switch = @lastSwitch, charge_arrears_fen = @owed WHERE id = @id",
            dirty.Select(a => new { id = a.Id, state = ApiFormat.State(a.State), lastSwitch = a.LastSwitch?.ToString().ToLowerInvariant(), owed = a.ChargeArrears.Fen }), tx);
        foreach (var a in dirty) a.Dirty = false;
    }
}
