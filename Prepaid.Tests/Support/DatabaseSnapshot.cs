using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Prepaid.Tests.Support;

/// <summary>
/// The logical content of a SQLite database: per table its row count and a SHA-256 over every value of every row, so
/// two snapshots tell whether anything at all was written in between, and where. Every table is read, also tables
/// that later migrations add.
/// </summary>
public sealed class DatabaseSnapshot
{
    readonly Dictionary<string, (long Rows, string Hash)> tables;

    DatabaseSnapshot(Dictionary<string, (long Rows, string Hash)> tables) => this.tables = tables;

    public static async Task<DatabaseSnapshot> TakeAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        }
        var tables = new Dictionary<string, (long, string)>();
        foreach (var name in names)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{name}\"";
            await using var reader = await select.ExecuteReaderAsync();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    // The type tag keeps NULL, 1 and '1' apart.
                    var value = reader.GetValue(i);
                    var text = value switch
                    {
                        DBNull => "n:",
                        byte[] bytes => "b:" + Convert.ToHexString(bytes),
                        _ => $"{value.GetType().Name[0]}:{Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}",
                    };
                    hash.AppendData(Encoding.UTF8.GetBytes(text + "\u001f"));
                }
                hash.AppendData("\u001e"u8);
            }
            tables[name] = (rows, Convert.ToHexString(hash.GetHashAndReset()));
        }
        return new DatabaseSnapshot(tables);
    }

    /// <summary>The tables whose content differs between the two snapshots, with their row counts before and after.</summary>
    public IReadOnlyList<(string Table, long RowsBefore, long RowsAfter)> ChangesSince(DatabaseSnapshot before) =>
        tables.Keys.Union(before.tables.Keys).Order()
            .Where(t => tables.GetValueOrDefault(t) != before.tables.GetValueOrDefault(t))
            .Select(t => (t, before.tables.GetValueOrDefault(t).Rows, tables.GetValueOrDefault(t).Rows))
            .ToList();

    public int Tables => tables.Count;
}
