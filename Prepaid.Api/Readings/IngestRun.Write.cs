using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Alarms;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

// Step 5, write: everything the run decided, in a few statements per table; the caller commits.
public sealed partial class IngestRun
{
    public static readonly Column[] ReadingColumns =
    [
        Column.BigInt("meter_id"), Column.BigInt("at_ms"), Column.BigInt("total_milli"), Column.BigInt("sharp_milli"), Column.BigInt("peak_milli"),
        Column.BigInt("flat_milli"), Column.BigInt("valley_milli"), Column.Text("status"), Column.LongText("reason"), Column.BigInt("amount_fen"),
        Column.BigInt("account_meter_id"), Column.BigInt("received_at_ms"), Column.BigInt("quantity_milli"), Column.Text("source"),
        Column.BigInt("entered_by"), Column.BigInt("entered_at_ms"), Column.BigInt("power_w"),
    ];

    public static readonly Column[] TierUsageColumns = [Column.BigInt("account_id"), Column.Text("utility"), Column.Text("period_key"), Column.Text("quantity")];

    Task<long> InsertOneAsync(ReadingRow row, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(dialect.InsertReturningId("readings",
            "meter_id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, status, reason, amount_fen, account_meter_id, received_at_ms, source, entered_by, entered_at_ms, power_w",
            "@MeterId, @AtMs, @total, @sharp, @peak, @flat, @valley, @Status, @Reason, @AmountFen, @AccountMeterId, @receivedAtMs, @Source, @EnteredBy, @enteredAtMs, @PowerW"),
            new
            {
                row.MeterId, row.AtMs, total = ApiFormat.Milli(row.Registers.Total), sharp = RegisterJson.Milli(row.Registers.Sharp),
                peak = RegisterJson.Milli(row.Registers.Peak), flat = RegisterJson.Milli(row.Registers.Flat), valley = RegisterJson.Milli(row.Registers.Valley),
                row.Status, row.Reason, row.AmountFen, row.AccountMeterId, receivedAtMs, row.Source, row.EnteredBy,
                enteredAtMs = ReadingSources.ByPerson(row.Source) ? receivedAtMs : (long?)null, row.PowerW,
            }, tx, cancellationToken: ct));

    async Task FlushTierUsageAsync(CancellationToken ct)
    {
        if (tierDirty.Count == 0) return;
        await using var update = connection.CreateCommand();
        update.Transaction = tx;
        var p = TierUpdate(update, dialect);
        await update.PrepareAsync(ct); // reused for every row: parse the SQL once
        var inserts = new List<(long AccountId, string Utility, string Key, string Quantity)>();
        foreach (var (accountId, utility, key) in tierDirty)
        {
            var quantity = tierUsage[(accountId, utility)][key].ToString(CultureInfo.InvariantCulture);
            if (!tierStored.Contains((accountId, utility, key)))
            {
                inserts.Add((accountId, ApiFormat.Utility(utility), key, quantity));
                tierStored.Add((accountId, utility, key));
                continue;
            }
            p[0].Value = quantity; p[1].Value = accountId; p[2].Value = ApiFormat.Utility(utility); p[3].Value = key;
            await update.ExecuteNonQueryAsync(ct);
        }
        await BulkInsert.RowsAsync(connection, tx, dialect, "tier_usage", TierUsageColumns, inserts,
            static (r, v) => { v[0] = r.AccountId; v[1] = r.Utility; v[2] = r.Key; v[3] = r.Quantity; }, ct);
        tierDirty.Clear();
    }

    /// <summary>The statement that updates one period's usage, its parameters in the order FlushTierUsageAsync fills them.</summary>
    public static DbParameter[] TierUpdate(DbCommand command, SqlDialect dialect)
    {
        command.CommandText = "UPDATE tier_usage SET quantity = @quantity WHERE account_id = @accountId AND utility = @utility AND period_key = @key";
        return [dialect.Parameter(command, "@quantity", ParameterType.Text), dialect.Parameter(command, "@accountId", ParameterType.BigInt),
            dialect.Parameter(command, "@utility", ParameterType.Text), dialect.Parameter(command, "@key", ParameterType.Text)];
    }

    /// <summary>Times the steps of <see cref="FlushAsync"/> when set.</summary>
    public IngestPhases? Phases { get; init; }

    public async Task FlushAsync(CancellationToken ct)
    {
        var t = System.Diagnostics.Stopwatch.GetTimestamp();
        await BulkInsert.RowsAsync(connection, tx, dialect, "readings", ReadingColumns, readings, (r, v) =>
            {
                v[0] = r.MeterId; v[1] = r.AtMs; v[2] = ApiFormat.Milli(r.Registers.Total); v[3] = RegisterJson.Milli(r.Registers.Sharp);
                v[4] = RegisterJson.Milli(r.Registers.Peak); v[5] = RegisterJson.Milli(r.Registers.Flat); v[6] = RegisterJson.Milli(r.Registers.Valley);
                v[7] = r.Status; v[8] = r.Reason; v[9] = r.AmountFen; v[10] = r.AccountMeterId; v[11] = receivedAtMs; v[12] = r.QuantityMilli;
                v[13] = r.Source; v[14] = r.EnteredBy; v[15] = ReadingSources.ByPerson(r.Source) ? receivedAtMs : null; v[16] = r.PowerW;
            }, ct);
        readings.Clear();
        t = Phases?.Add("write:readings", t) ?? t;
        foreach (var (meterId, payload, reason) in rejects)
            await connection.ExecuteAsync("INSERT INTO reading_rejects (meter_id, payload_json, reason, received_at_ms) VALUES (@meterId, @payload, @reason, @receivedAtMs)",
                new { meterId, payload, reason, receivedAtMs }, tx);
        rejects.Clear();
        Phases?.Add("write:rejects", t);
        await ledger.FlushAsync(ct, Phases);
        t = System.Diagnostics.Stopwatch.GetTimestamp();
        await MeterBilling.SaveAsync(connection, tx, dialect, metersTouched, ct);
        metersTouched.Clear();
        t = Phases?.Add("write:meterStates", t) ?? t;
        await AccountRuntime.SaveAsync(connection, tx, accountsChanged);
        accountsChanged.Clear();
        await FlushTierUsageAsync(ct);
        await outbox.FlushAsync(connection, tx, dialect, ct);
        await OverloadAlarms.CheckAsync(connection, tx, powers, now, alarmChanges, ct);
        powers.Clear();
        Phases?.Add("write:accounts+tiers+outbox+alarms", t);
    }
}
