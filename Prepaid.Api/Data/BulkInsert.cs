using System.Data.Common;
using System.Text;
using Prepaid.Api.Ledger;

namespace Prepaid.Api.Data;

/// <summary>
/// The hot paths' many-row INSERTs (readings, postings, outbox): on SQLite one single-row statement bound by position for
/// every row (<see cref="SqliteRows"/>: Microsoft.Data.Sqlite looks every parameter up by name at every execution, which cost
/// more than the insert itself); on PostgreSQL binary COPY (<see cref="PostgresRows"/>); elsewhere one prepared statement for
/// every block of rows (50 rows × 12 columns stays far under SQL Server's 2,100 parameters).
/// </summary>
public static class BulkInsert
{
    public static readonly Column[] PostingColumns =
    [
        Column.Text("transfer_key"), Column.BigInt("leg"), Column.Text("kind"), Column.BigInt("at_ms"), Column.BigInt("account_id"), Column.BigInt("meter_id"),
        Column.BigInt("debit_ledger_id"), Column.BigInt("credit_ledger_id"), Column.BigInt("amount_fen"), Column.BigInt("debit_balance_after_fen"),
        Column.BigInt("credit_balance_after_fen"),
    ];

    public static Task PostingsAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyList<PostingRow> rows, CancellationToken ct) =>
        RowsAsync(connection, tx, dialect, "postings", PostingColumns,
            rows, static (r, v) =>
            {
                v[0] = r.TransferKey; v[1] = r.Leg; v[2] = r.Kind; v[3] = r.AtMs; v[4] = r.AccountId; v[5] = r.MeterId;
                v[6] = r.DebitLedgerId; v[7] = r.CreditLedgerId; v[8] = r.AmountFen; v[9] = r.DebitBalanceAfterFen; v[10] = r.CreditBalanceAfterFen;
            }, ct);

    /// <summary>Inserts rows with prepared multi-row statements; <paramref name="fill"/> writes one row's values.</summary>
    public static async Task RowsAsync<T>(DbConnection connection, DbTransaction tx, SqlDialect dialect, string table, Column[] columns, IReadOnlyList<T> rows,
        Action<T, object?[]> fill, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            // In-process: one prepared single-row INSERT, bound by position, costs less per row than any multi-row statement.
            SqliteRows.Execute(sqlite, Sql(table, columns, 1), columns.Length, rows, fill);
            return;
        }
        if (connection is Npgsql.NpgsqlConnection npgsql && rows.Count > 1)
        {
            await PostgresRows.CopyAsync(npgsql, table, columns, rows, fill, ct);
            return;
        }
        var rowsPerStatement = dialect.RowsPerInsert;
        var values = new object?[columns.Length];
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, rows.Count - start);
                DbCommand command;
                if (count == rowsPerStatement) command = full ??= await BuildPreparedAsync(connection, tx, dialect, table, columns, count, ct);
                else command = Build(connection, tx, dialect, table, columns, count);
                for (var i = 0; i < count; i++)
                {
                    fill(rows[start + i], values);
                    for (var c = 0; c < columns.Length; c++)
                        command.Parameters[i * columns.Length + c].Value = values[c] ?? DBNull.Value;
                }
                await command.ExecuteNonQueryAsync(ct);
                if (command != full) await command.DisposeAsync();
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }
    }

    static async Task<DbCommand> BuildPreparedAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, string table, Column[] columns, int rowCount, CancellationToken ct)
    {
        var command = Build(connection, tx, dialect, table, columns, rowCount);
        await command.PrepareAsync(ct);
        return command;
    }

    static DbCommand Build(DbConnection connection, DbTransaction tx, SqlDialect dialect, string table, Column[] columns, int rowCount)
    {
        var command = Insert(connection.CreateCommand(), dialect, table, columns, rowCount);
        command.Transaction = tx;
        return command;
    }

    /// <summary>Makes <paramref name="command"/> an INSERT of <paramref name="rowCount"/> rows, its parameters named @p{row}_{column} and typed.</summary>
    public static DbCommand Insert(DbCommand command, SqlDialect dialect, string table, Column[] columns, int rowCount)
    {
        command.CommandText = Sql(table, columns, rowCount);
        for (var i = 0; i < rowCount; i++)
            for (var c = 0; c < columns.Length; c++)
                dialect.Parameter(command, $"@p{i}_{c}", columns[c].Type);
        return command;
    }

    /// <summary>The INSERT of <paramref name="rowCount"/> rows, its parameters @p{row}_{column} in the order they are bound.</summary>
    static string Sql(string table, Column[] columns, int rowCount)
    {
        var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ");
        for (var i = 0; i < rowCount; i++)
        {
            sql.Append(i == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++) sql.Append(c == 0 ? $"@p{i}_{c}" : $", @p{i}_{c}");
            sql.Append(')');
        }
        return sql.ToString();
    }
}
