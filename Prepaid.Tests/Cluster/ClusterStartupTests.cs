using Prepaid.Tests.Support;

namespace Prepaid.Tests.Cluster;

/// <summary>Cluster mode needs a server database: on SQLite the platform refuses to start and says why.</summary>
public class ClusterStartupTests
{
    [Fact]
    public void ClusterMode_OnSqlite_RefusesToStart_WithAClearMessage()
    {
        using var app = new PrepaidApp();
        app.Settings["Prepaid:Cluster:Enabled"] = "true";
        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        var inner = e is InvalidOperationException ? e : e.InnerException ?? e;
        Assert.Contains("SQLite is single-node", inner.Message);
    }
}
