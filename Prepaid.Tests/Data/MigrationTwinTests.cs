using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// Every migration exists once per dialect, under the same number and name: a script added to db/sqlite alone would
/// leave a PostgreSQL or SQL Server database a schema behind, and only the first start on that server would tell.
/// </summary>
public class MigrationTwinTests
{
    static string[] Scripts(string dialect) =>
        Directory.GetFiles(Path.Combine(TestDatabase.MigrationsRoot, dialect), "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlserver")]
    public void EverySqliteMigration_HasItsTwin_SameNumberAndName(string dialect)
    {
        var sqlite = Scripts("sqlite");
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, Scripts(dialect));
    }

    [Fact]
    public void MigrationNumbers_AreUnique()
    {
        var numbers = Scripts("sqlite").Select(n => n.Split('_')[0]).ToArray();
        Assert.Equal(numbers.Length, numbers.Distinct().Count());
    }
}
