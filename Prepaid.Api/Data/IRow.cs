using System.Data.Common;

namespace Prepaid.Api.Data;

/// <summary>
/// The current row of a query, column by ordinal. Hot loads map rows once over this, for an ADO.NET reader on every
/// dialect and for <see cref="SqliteRows"/> on SQLite; a struct type argument keeps the calls direct.
/// </summary>
public interface IRow
{
    bool IsNull(int ordinal);
    long Int64(int ordinal);
    string Text(int ordinal);
    long? Int64OrNull(int ordinal) => IsNull(ordinal) ? null : Int64(ordinal);
}

/// <summary>An ADO.NET reader's current row.</summary>
public readonly struct ReaderRow(DbDataReader reader) : IRow
{
    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);
    public long Int64(int ordinal) => reader.GetInt64(ordinal);
    public string Text(int ordinal) => reader.GetString(ordinal);
    public long? Int64OrNull(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
