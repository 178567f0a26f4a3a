using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Api.Data;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// The hot paths' direct SQLite reads and binds (<see cref="SqliteRows"/>) against what Microsoft.Data.Sqlite reads back:
/// every value lands in its own column, NULL stays NULL, text keeps its characters, and a value it cannot bind is refused
/// before anything is written rather than stored as something else.
/// </summary>
public class SqliteRowsTests
{
    static readonly Column[] Columns = [Column.BigInt("a"), Column.BigInt("b"), Column.Text("c"), Column.LongText("d")];

    static async Task<(SqliteTestDatabase Test, SqliteConnection Connection)> OpenAsync()
    {
        var test = await SqliteTestDatabase.CreateEmptyAsync();
        var connection = (SqliteConnection)await test.Db.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NULL, c TEXT NULL, d TEXT NULL)");
        return (test, connection);
    }

    [Fact]
    public async Task BulkInsert_BindsEachValueByPosition_InItsOwnColumn()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        var rows = new (long A, int? B, string? C, string? D)[]
        {
            (long.MaxValue, 7, "billed", "电表 E-1 · 读数"), (long.MinValue, null, null, ""), (0, -1, "x'); DROP TABLE t; --", null),
            // Longer than the stack buffer texts are encoded in, and characters outside the BMP (surrogate pairs).
            (1, 2, new string('读', 1_000), "😀 " + new string('x', 300) + " 𠀋"),
        };
        await using (var tx = connection.BeginTransaction())
        {
            await BulkInsert.RowsAsync(connection, tx, test.Db.Dialect, "t", Columns, rows, static (r, v) => { v[0] = r.A; v[1] = r.B; v[2] = r.C; v[3] = r.D; }, default);
            tx.Commit();
        }
        var back = (await connection.QueryAsync<(long A, long? B, string? C, string? D)>("SELECT a, b, c, d FROM t ORDER BY id")).ToArray();
        Assert.Equal(rows.Select(r => (r.A, (long?)r.B, r.C, r.D)), back);
    }

    [Fact]
    public async Task BulkInsert_RefusesAValueItCannotBind_AndWritesNothingOfThatRow()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        var error = await Assert.ThrowsAsync<ArgumentException>(() => BulkInsert.RowsAsync(connection, null!, test.Db.Dialect, "t", Columns, new[] { 1.5m },
            static (r, v) => { v[0] = r; v[1] = null; v[2] = null; v[3] = null; }, default));
        Assert.Contains("Decimal", error.Message);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public async Task BulkInsert_AStatementSQLiteRefuses_ThrowsItsError_AndTheTransactionKeepsNothing()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        await using (var tx = connection.BeginTransaction())
        {
            // The second row breaks a NOT NULL column: SQLite's own error surfaces from the step, not a silent skip.
            var error = await Assert.ThrowsAsync<SqliteException>(() => BulkInsert.RowsAsync(connection, tx, test.Db.Dialect, "t", Columns,
                new long?[] { 1, null }, static (r, v) => { v[0] = r; v[1] = null; v[2] = "c"; v[3] = null; }, default));
            Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
            tx.Rollback();
        }
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public async Task Query_ReadsIntegersNullsAndText_AsTheReaderDoes()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        await connection.ExecuteAsync("INSERT INTO t (a, b, c, d) VALUES (42, NULL, '租户 ✓', NULL), (-3, 9, '', 'z')");
        var read = new List<(long A, long? B, string C)>();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT a, b, c FROM t WHERE id IN {test.Db.Dialect.IdsFromJson("@ids")} ORDER BY id";
        await SqliteRows.ForEachAsync(command, test.Db.Dialect, "[1, 2]", row => read.Add((row.Int64(0), row.Int64OrNull(1), row.Text(2))), _ => Assert.Fail("SQLite reads its statement"));
        Assert.Equal([(42L, (long?)null, "租户 ✓"), (-3L, 9L, "")], read);
    }
}
