using Prepaid.Api.Data;
using Quartz;

namespace Prepaid.Api.Cluster;

/// <summary>
/// Several nodes on one server database: the leases (always registered; they own everything when cluster mode is off),
/// Quartz's clustered ADO job store and SignalR's Redis backplane. Called from Program.cs before the features add their jobs.
/// </summary>
public static class ClusterSetup
{
    /// <summary>Quartz's tables, created by migration 0021 (PostgreSQL folds the unquoted names to lower case).</summary>
    public const string QuartzTablePrefix = "qrtz_";

    public static void AddCluster(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<NodeLeases>();

        // Prepaid:Redis (host:port): hub messages go through Redis, so a client on any node gets what any node sends.
        // Every event is sent once, by the node where it happened; the backplane does not de-duplicate.
        var redis = builder.Configuration["Prepaid:Redis"];
        if (!string.IsNullOrWhiteSpace(redis))
            builder.Services.AddSignalR().AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("prepaid"));

        if (!options.Enabled) return;
        var connectionString = builder.Configuration.GetConnectionString("Prepaid") ?? "Data Source=data/prepaid.db";
        var provider = builder.Configuration["Prepaid:Database"] ?? Db.ProviderOf(connectionString);
        if (provider is not ("postgres" or "sqlserver"))
            throw new InvalidOperationException(
                "Cluster mode needs a server database (PostgreSQL or SQL Server); SQLite is single-node, so turn cluster mode off to run on SQLite.");

        if (provider == "postgres")
        {
            // A node that stalls inside a transaction (paused, swapped out) would hold the money lock and every row it
            // touched while the others wait; the server ends such a session after a while and its locks go with it.
            var stalled = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(stalled.Options))
                stalled.Options = $"-c idle_in_transaction_session_timeout={(long)(options.LeaseSeconds * 2000)}";
            connectionString = stalled.ConnectionString;
            builder.Configuration["ConnectionStrings:Prepaid"] = connectionString;
        }
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeLeases>());
        builder.Services.Configure<QuartzSchedulerOptions>(o =>
        {
            o.InstanceName = "prepaid";
            o.InstanceId = options.NodeId;
        });
        builder.Services.AddQuartz(q => q.UsePersistentStore(store =>
        {
            if (provider == "postgres") store.UsePostgres(connectionString);
            else store.UseSqlServer(connectionString); // configured, never run here: no SQL Server on these machines
            store.ConfigureStore(o => o.TablePrefix = provider == "postgres" ? QuartzTablePrefix : "QRTZ_");
            store.UseSystemTextJsonSerializer();
            store.UseExecutionHistory();
            store.UseClustering(c =>
            {
                c.CheckinInterval = TimeSpan.FromSeconds(options.CheckinSeconds);
                c.CheckinMisfireThreshold = TimeSpan.FromSeconds(options.CheckinSeconds * 2);
            });
        }));
    }
}
