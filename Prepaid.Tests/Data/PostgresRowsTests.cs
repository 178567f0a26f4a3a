using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;
using Prepaid.Api.Data;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// The many-row writes on a real PostgreSQL server (<see cref="PostgresRows"/>): binary COPY lands every value in its own
/// column, NULL as NULL; an UPDATE run from arrays changes exactly the rows its keys name, with each row's own values, and
/// rows that write the same row twice are applied one by one, in order, as the per-row statements would.
/// </summary>
public class PostgresRowsTests
{
    static readonly Column[] Columns = [Column.BigInt("a"), Column.BigInt("b"), Column.Text("c"), Column.LongText("d")];

    static async Task<(PostgresTestDatabase Test, NpgsqlConnection Connection)> OpenAsync()
    {
        var test = await PostgresTestDatabase.CreateEmptyAsync();
        var connection = (NpgsqlConnection)await test.Db.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, a BIGINT NOT NULL, b BIGINT NULL, c TEXT NULL, d TEXT NULL)");
        return (test, connection);
    }

    static DbParameter[] Update(DbCommand command, SqlDialect dialect)
    {
        command.CommandText = "UPDATE t SET b = @b, c = @c\nWHERE id = @id";
        return [dialect.Parameter(command, "@b", ParameterType.BigInt), dialect.Parameter(command, "@c", ParameterType.Text), dialect.Parameter(command, "@id", ParameterType.BigInt)];
    }

    [Fact]
    public async Task Postgres_BulkInsert_CopiesEachValueIntoItsOwnColumn()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        var rows = new (long A, int? B, string? C, string? D)[]
        {
            (long.MaxValue, 7, "billed", "电表 E-1 · 读数"), (long.MinValue, null, null, ""), (0, -1, "x'); DROP TABLE t; --", null),
        };
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await BulkInsert.RowsAsync(connection, tx, test.Db.Dialect, "t", Columns, rows, static (r, v) => { v[0] = r.A; v[1] = r.B; v[2] = r.C; v[3] = r.D; }, default);
            await tx.CommitAsync();
        }
        var back = (await connection.QueryAsync<(long A, long? B, string? C, string? D)>("SELECT a, b, c, d FROM t ORDER BY id")).ToArray();
        Assert.Equal(rows.Select(r => (r.A, (long?)r.B, r.C, r.D)), back);
    }

    [Fact]
    public async Task Postgres_BulkInsert_RolledBack_LeavesNothing_AndRefusesAValueItCannotCopy()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await BulkInsert.RowsAsync(connection, tx, test.Db.Dialect, "t", Columns, new long[] { 1, 2 }, static (r, v) => { v[0] = r; v[1] = null; v[2] = null; v[3] = null; }, default);
            await tx.RollbackAsync();
        }
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"));
        await using var tx2 = await connection.BeginTransactionAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => BulkInsert.RowsAsync(connection, tx2, test.Db.Dialect, "t", Columns, new[] { 1.5m, 2.5m },
            static (r, v) => { v[0] = r; v[1] = null; v[2] = null; v[3] = null; }, default));
    }

    [Fact]
    public async Task Postgres_UpdateFromArrays_ChangesTheNamedRowsOnly_WithTheirOwnValues()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        await connection.ExecuteAsync("INSERT INTO t (a, b, c) SELECT g, g * 10, 'old' FROM generate_series(1, 5) g");
        var changes = new (long Id, long? B, string? C)[] { (1, null, "一"), (3, 33, null), (5, 55, "five"), (99, 0, "no such row") };
        await using (var tx = test.Db.Dialect.BeginWrite(connection))
        {
            await BatchedStatements.RunAsync(connection, tx, test.Db.Dialect, changes, Update,
                static (r, p) => { p[0].Value = (object?)r.B ?? DBNull.Value; p[1].Value = (object?)r.C ?? DBNull.Value; p[2].Value = r.Id; }, default);
            await tx.CommitAsync();
        }
        var back = (await connection.QueryAsync<(long Id, long? B, string? C)>("SELECT id, b, c FROM t ORDER BY id")).ToArray();
        Assert.Equal([(1L, (long?)null, "一"), (2L, 20L, "old"), (3L, 33L, null), (4L, 40L, "old"), (5L, 55L, "five")], back);
    }

    [Fact]
    public async Task Postgres_RowsWritingOneRowTwice_AreAppliedInOrder()
    {
        var (test, connection) = await OpenAsync();
        await using var _ = test;
        await using var __ = connection;
        await connection.ExecuteAsync("INSERT INTO t (a, b, c) VALUES (1, 0, 'old'), (2, 0, 'old')");
        var changes = new (long Id, long B)[] { (1, 1), (2, 2), (1, 3) };
        await using (var tx = test.Db.Dialect.BeginWrite(connection))
        {
            Assert.False(await PostgresRows.UpdateFromArraysAsync(connection, (NpgsqlTransaction)tx, "UPDATE t SET b = @b, c = @c\nWHERE id = @id",
                [new NpgsqlParameter("@b", DbType.Int64), new NpgsqlParameter("@c", DbType.String), new NpgsqlParameter("@id", DbType.Int64)], changes,
                static (r, p) => { p[0].Value = r.B; p[1].Value = "x"; p[2].Value = r.Id; }, default));
            await BatchedStatements.RunAsync(connection, tx, test.Db.Dialect, changes, Update,
                static (r, p) => { p[0].Value = r.B; p[1].Value = "new"; p[2].Value = r.Id; }, default);
            await tx.CommitAsync();
        }
        Assert.Equal([(1L, 3L), (2L, 2L)], await connection.QueryAsync<(long, long)>("SELECT id, b FROM t ORDER BY id"));
    }
}
