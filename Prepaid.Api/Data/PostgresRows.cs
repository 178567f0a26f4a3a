using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Prepaid.Api.Data;

/// <summary>
/// The hot paths' many-row writes on PostgreSQL in one statement each: rows inserted by binary COPY, and a statement run
/// once per row (an UPDATE of one row by its key) as one UPDATE … FROM unnest(arrays). A batch of 10,000 meter states
/// sent as 20 pipelined round trips of 500 statements cost the server a parse, plan and execution per row; as arrays it
/// is one plan over a join. Both run on the caller's connection, inside its transaction.
/// </summary>
public static partial class PostgresRows
{
    /// <summary>Inserts <paramref name="rows"/> into <paramref name="table"/> by binary COPY; <paramref name="fill"/> writes one row's values (long, int, string or null).</summary>
    public static async Task CopyAsync<T>(NpgsqlConnection connection, string table, Column[] columns, IReadOnlyList<T> rows, Action<T, object?[]> fill, CancellationToken ct)
    {
        var values = new object?[columns.Length];
        var types = columns.Select(c => c.Type.DbType == DbType.Int64 ? NpgsqlDbType.Bigint : NpgsqlDbType.Text).ToArray();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            fill(row, values);
            await writer.StartRowAsync(ct);
            for (var c = 0; c < values.Length; c++)
                switch (values[c])
                {
                    case null or DBNull: await writer.WriteNullAsync(ct); break;
                    case long number: await writer.WriteAsync(number, types[c], ct); break;
                    case int number: await writer.WriteAsync((long)number, types[c], ct); break;
                    case string text: await writer.WriteAsync(text, types[c], ct); break;
                    case var other: throw new ArgumentException($"Cannot copy a {other.GetType().Name} into {table}.{columns[c].Name}.");
                }
        }
        await writer.CompleteAsync(ct);
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterReference();

    /// <summary>
    /// Runs <paramref name="sql"/>, an <c>UPDATE … SET … WHERE …</c> of one row by its key, once for every row as one statement:
    /// each parameter becomes an array of the rows' values and its references the column of <c>unnest</c> they are read from.
    /// Returns false, having run nothing, when two rows give the WHERE clause the same values: one UPDATE cannot apply two
    /// changes to one row in order, so the caller runs those rows one by one.
    /// </summary>
    public static async Task<bool> UpdateFromArraysAsync<T>(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, DbParameter[] parameters,
        IReadOnlyList<T> rows, Action<T, DbParameter[]> fill, CancellationToken ct)
    {
        var where = sql.LastIndexOf("WHERE", StringComparison.Ordinal);
        if (!sql.TrimStart().StartsWith("UPDATE", StringComparison.Ordinal) || where < 0)
            throw new ArgumentException("Only an UPDATE … SET … WHERE … runs from arrays.", nameof(sql));
        var keyOrdinals = ParameterReference().Matches(sql[where..]).Select(m => Array.FindIndex(parameters, p => p.ParameterName == "@" + m.Groups[1].Value)).Distinct().ToArray();

        var columns = parameters.Select(_ => new object?[rows.Count]).ToArray();
        var keys = new HashSet<string>();
        for (var r = 0; r < rows.Count; r++)
        {
            fill(rows[r], parameters);
            for (var c = 0; c < parameters.Length; c++) columns[c][r] = parameters[c].Value is DBNull ? null : parameters[c].Value;
            if (!keys.Add(string.Join('\u001f', keyOrdinals.Select(k => columns[k][r]?.ToString() ?? "\u0000")))) return false;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var names = parameters.Select(p => "p_" + p.ParameterName.TrimStart('@').ToLowerInvariant()).ToArray();
        var arrays = new string[parameters.Length];
        for (var c = 0; c < parameters.Length; c++)
        {
            var integer = parameters[c].DbType == DbType.Int64;
            arrays[c] = $"@{names[c]}::{(integer ? "bigint" : "text")}[]";
            command.Parameters.Add(integer
                ? new NpgsqlParameter<long?[]>(names[c], columns[c].Select(v => v is null ? (long?)null : Convert.ToInt64(v)).ToArray())
                : new NpgsqlParameter<string?[]>(names[c], columns[c].Select(v => (string?)v).ToArray()));
        }
        // Each @name becomes v.p_name; the unnest goes where UPDATE's FROM belongs, just before the WHERE.
        string FromArrays(string part) => ParameterReference().Replace(part, m => "v.p_" + m.Groups[1].Value.ToLowerInvariant());
        command.CommandText = $"{FromArrays(sql[..where])} FROM unnest({string.Join(", ", arrays)}) AS v({string.Join(", ", names)}) {FromArrays(sql[where..])}";
        await command.ExecuteNonQueryAsync(ct);
        return true;
    }
}
