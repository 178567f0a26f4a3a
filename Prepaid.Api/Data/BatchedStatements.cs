using System.Data.Common;

namespace Prepaid.Api.Data;

/// <summary>
/// One statement run once per row, as ingest saves each wallet's balance and each meter's state once per batch.
/// In-process SQLite runs it as one prepared statement bound by position (<see cref="SqliteRows.Execute{T}"/>); PostgreSQL
/// runs it once for all the rows, from arrays (<see cref="PostgresRows.UpdateFromArraysAsync{T}"/>), unless two rows write the
/// same row; otherwise a server dialect that pipelines (<see cref="SqlDialect.BatchesStatements"/>) sends it in batches of
/// <see cref="RowsPerBatch"/> rows, one round trip each instead of one per row.
/// </summary>
public static class BatchedStatements
{
    const int RowsPerBatch = 500;

    /// <param name="build">Sets the statement's text on a command and adds its parameters, returned in the order <paramref name="fill"/> fills them.</param>
    public static async Task RunAsync<T>(DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyList<T> rows,
        Func<DbCommand, SqlDialect, DbParameter[]> build, Action<T, DbParameter[]> fill, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var parameters = build(command, dialect);
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            SqliteRows.Execute(sqlite, command.CommandText, parameters, rows, fill);
            return;
        }
        if (connection is Npgsql.NpgsqlConnection npgsql && rows.Count > 1
            && await PostgresRows.UpdateFromArraysAsync(npgsql, (Npgsql.NpgsqlTransaction)tx, command.CommandText, parameters, rows, fill, ct))
            return;
        if (!dialect.BatchesStatements || !connection.CanCreateBatch)
        {
            await command.PrepareAsync(ct); // reused for every row: parse the SQL once
            foreach (var row in rows)
            {
                fill(row, parameters);
                await command.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        for (var start = 0; start < rows.Count; start += RowsPerBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = tx;
            foreach (var row in rows.Skip(start).Take(RowsPerBatch))
            {
                var statement = batch.CreateBatchCommand();
                statement.CommandText = command.CommandText;
                var values = parameters.Select(shape =>
                {
                    var p = statement.CreateParameter();
                    p.ParameterName = shape.ParameterName;
                    p.DbType = shape.DbType;
                    statement.Parameters.Add(p);
                    return p;
                }).ToArray();
                fill(row, values);
                batch.BatchCommands.Add(statement);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
    }
}
