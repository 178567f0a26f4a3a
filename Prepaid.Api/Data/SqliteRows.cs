using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Prepaid.Api.Data;

/// <summary>
/// A query read straight from SQLite's statement, for loads that read tens of columns of 10,000 rows per ingest batch.
/// Microsoft.Data.Sqlite checks each value's type before reading it and passes the statement as a safe handle on every
/// call: three native calls and their bookkeeping per column. Here a column of a NOT NULL integer is one call, made
/// without a GC transition (a short native call that never blocks nor calls back). Measured on 10,000 rows of 26
/// integer columns: 25–36 ms against 62–96 ms. Runs on the caller's connection, inside its transaction.
/// </summary>
public static class SqliteRows
{
    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameter"/> as its one parameter and calls <paramref name="read"/> for each row.</summary>
    public static void Query(SqliteConnection connection, string sql, string parameter, Action<SqliteRow> read)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(statement, 1, parameter), db);
            var row = new SqliteRow(statement.DangerousGetHandle());
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW) read(row);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}

/// <summary>The current row of <see cref="SqliteRows.Query"/>; valid only inside its callback.</summary>
public readonly struct SqliteRow(IntPtr statement) : IRow
{
    public bool IsNull(int ordinal) => Native.sqlite3_column_type(statement, ordinal) == raw.SQLITE_NULL;

    /// <summary>SQLite gives 0 for NULL: for a nullable column, ask <see cref="IsNull"/> or <see cref="Int64OrNull"/>.</summary>
    public long Int64(int ordinal) => Native.sqlite3_column_int64(statement, ordinal);

    public long? Int64OrNull(int ordinal) => IsNull(ordinal) ? null : Int64(ordinal);

    public string Text(int ordinal)
    {
        // column_text before column_bytes: the length is that of the UTF-8 text column_text made.
        var text = Native.sqlite3_column_text(statement, ordinal);
        if (text == IntPtr.Zero) throw new InvalidOperationException($"Column {ordinal} is NULL.");
        return Marshal.PtrToStringUTF8(text, Native.sqlite3_column_bytes(statement, ordinal));
    }

    // The library SQLitePCLRaw's bundle loads for Microsoft.Data.Sqlite; column getters neither block nor call back.
    static class Native
    {
        const string Library = "e_sqlite3";
        [DllImport(Library), SuppressGCTransition] public static extern int sqlite3_column_type(IntPtr statement, int ordinal);
        [DllImport(Library), SuppressGCTransition] public static extern long sqlite3_column_int64(IntPtr statement, int ordinal);
        [DllImport(Library), SuppressGCTransition] public static extern IntPtr sqlite3_column_text(IntPtr statement, int ordinal);
        [DllImport(Library), SuppressGCTransition] public static extern int sqlite3_column_bytes(IntPtr statement, int ordinal);
    }
}
