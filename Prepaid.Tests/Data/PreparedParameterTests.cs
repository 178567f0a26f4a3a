using System.Data;
using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// SQL Server prepares a command only when every parameter has a type of its own and every variable-length one a size
/// (SqlCommand.Prepare refuses it otherwise). No server runs here, so the hot path's prepared statements are built on
/// SqlClient's own SqlCommand, without a connection, and each parameter is checked: its type must not follow the value
/// it is given, a string must have a size, and both must fit the column it is bound to in db/sqlserver.
/// </summary>
public class PreparedParameterTests
{
    static readonly SqlDialect SqlServer = new SqlServerDialect();

    public static TheoryData<string> Statements => new(HotPath().Select(s => s.Name));

    static IEnumerable<(string Name, SqlCommand Command)> HotPath()
    {
        foreach (var (table, columns) in new[] { ("readings", IngestRun.ReadingColumns), ("postings", BulkInsert.PostingColumns),
                     ("tier_usage", IngestRun.TierUsageColumns), ("outbox", OutboxWriter.Columns) })
            foreach (var rows in new[] { 1, SqlServer.RowsPerInsert })
                yield return ($"insert {table} × {rows}", (SqlCommand)BulkInsert.Insert(new SqlCommand(), SqlServer, table, columns, rows));
        yield return ("update account_meters", Built(c => MeterBilling.Update(c, SqlServer)));
        yield return ("update account_meters after a billed reading", Built(c => MeterBilling.UpdateBilled(c, SqlServer)));
        yield return ("update tier_usage", Built(c => IngestRun.TierUpdate(c, SqlServer)));
        yield return ("update ledger_accounts", Built(c => LedgerWriter.BalanceUpdate(c, SqlServer)));
    }

    static SqlCommand Built(Action<SqlCommand> build)
    {
        var command = new SqlCommand();
        build(command);
        return command;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void HotPathStatement_GivesEveryParameterItsOwnTypeAndSize_SoSqlServerCanPrepareIt(string name)
    {
        var command = HotPath().Single(s => s.Name == name).Command;
        var columns = BoundColumns(command.CommandText);
        var schema = SqlServerSchema.Value;
        Assert.NotEmpty(command.Parameters);
        foreach (SqlParameter p in command.Parameters)
        {
            p.Value = 1L;
            var asNumber = p.SqlDbType;
            p.Value = "text";
            var asText = p.SqlDbType;
            p.Value = DBNull.Value;
            Assert.True(asNumber == asText, $"{name}: {p.ParameterName} has no type of its own (it follows its value: {asNumber}, then {asText})");
            var (table, column) = columns[p.ParameterName];
            var declared = schema[(table, column)];
            if (declared.StartsWith("NVARCHAR", StringComparison.Ordinal))
            {
                Assert.Equal(SqlDbType.NVarChar, p.SqlDbType);
                Assert.True(p.Size != 0, $"{name}: {p.ParameterName} is a string without a size");
                var width = Regex.Match(declared, @"\((\d+|MAX)\)").Groups[1].Value;
                Assert.True(width == "MAX" ? p.Size == -1 : p.Size == -1 || p.Size >= int.Parse(width),
                    $"{name}: {p.ParameterName} is sent with size {p.Size}, which would cut {table}.{column} {declared}");
            }
            else
            {
                Assert.Equal("BIGINT", declared);
                Assert.Equal(SqlDbType.BigInt, p.SqlDbType);
            }
        }
    }

    /// <summary>Parameter → (table, column) from the statement's own text: INSERT column lists and "column = @parameter" pairs.</summary>
    static Dictionary<string, (string Table, string Column)> BoundColumns(string sql)
    {
        var bound = new Dictionary<string, (string, string)>();
        if (Regex.Match(sql, @"^INSERT INTO (\w+) \(([^)]*)\) VALUES (.*)$", RegexOptions.Singleline) is { Success: true } insert)
        {
            var table = insert.Groups[1].Value;
            var names = insert.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries);
            foreach (Match row in Regex.Matches(insert.Groups[3].Value, @"\(([^)]*)\)"))
            {
                var values = row.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries);
                for (var i = 0; i < values.Length; i++) bound[values[i]] = (table, names[i]);
            }
            return bound;
        }
        var update = Regex.Match(sql, @"UPDATE (\w+) SET").Groups[1].Value;
        foreach (Match pair in Regex.Matches(sql, @"(\w+)\s*=\s*(@\w+)")) bound[pair.Groups[2].Value] = (update, pair.Groups[1].Value);
        return bound;
    }

    /// <summary>(table, column) → declared type, from the SQL Server migrations.</summary>
    static readonly Lazy<Dictionary<(string, string), string>> SqlServerSchema = new(() =>
    {
        var schema = new Dictionary<(string, string), string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestDatabase.MigrationsRoot, "sqlserver"), "*.sql").Order())
        {
            var text = File.ReadAllText(file);
            foreach (Match table in Regex.Matches(text, @"CREATE TABLE (\w+) \((.*?)\n\);", RegexOptions.Singleline))
                foreach (Match column in Regex.Matches(table.Groups[2].Value, @"^\s+(\w+)\s+(BIGINT|NVARCHAR\((?:\d+|MAX)\))", RegexOptions.Multiline))
                    schema[(table.Groups[1].Value, column.Groups[1].Value)] = column.Groups[2].Value;
            foreach (Match added in Regex.Matches(text, @"ALTER TABLE (\w+) ADD (\w+)\s+(BIGINT|NVARCHAR\((?:\d+|MAX)\))"))
                schema[(added.Groups[1].Value, added.Groups[2].Value)] = added.Groups[3].Value;
        }
        return schema;
    });
}
