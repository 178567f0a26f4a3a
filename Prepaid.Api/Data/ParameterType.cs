using System.Data;

namespace Prepaid.Api.Data;

/// <summary>
/// The type a parameter is sent with. SQL Server prepares a command only when every parameter has a type and every
/// string a size, so the hot path's reused statements declare them; <see cref="SqlDialect.Parameter"/> applies them.
/// </summary>
public readonly record struct ParameterType(DbType DbType, int Size)
{
    public static readonly ParameterType BigInt = new(DbType.Int64, 0);

    /// <summary>
    /// Text for an NVARCHAR(n) column, sent as NVARCHAR(4000): wider than any such column, so a value too long for it
    /// fails on the server instead of being cut short by the client.
    /// </summary>
    public static readonly ParameterType Text = new(DbType.String, 4000);

    /// <summary>Text for an NVARCHAR(MAX) column, and the JSON arrays of ids.</summary>
    public static readonly ParameterType LongText = new(DbType.String, -1);
}

/// <summary>A column of a bulk INSERT and the type its values are sent with.</summary>
public readonly record struct Column(string Name, ParameterType Type)
{
    public static Column BigInt(string name) => new(name, ParameterType.BigInt);
    public static Column Text(string name) => new(name, ParameterType.Text);
    public static Column LongText(string name) => new(name, ParameterType.LongText);
}
