using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Prepaid.Api.Payments.Demo;
using Prepaid.Fakes.Payments;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Fuzz;

/// <summary>
/// The real API over a real SQLite file with the fake payment gateways (so payments and refunds run end to end) and the
/// device loops off (the fuzz's gateways point nowhere; nothing should poll them).
/// </summary>
public sealed class FuzzApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "fuzz-admin-password";

    public FakeTimeProvider Time { get; } = new(PrepaidApp.Start);
    public string Folder { get; } = Directory.CreateTempSubdirectory("prepaid-fuzz-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Prepaid", $"Data Source={Path.Combine(Folder, "prepaid.db")}");
        builder.UseSetting("Prepaid:Database", "sqlite");
        builder.UseSetting("Prepaid:AdminPassword", AdminPassword);
        InProcessFakes.Plug(builder, Time);
        builder.UseSetting("Prepaid:Payments:ScheduleJobs", "false");
        builder.UseSetting("Prepaid:Devices:Background", "false");
        builder.UseSetting("Prepaid:Charges:Background", "false");
        // Every spoilt filing must reach the validator, not the per-tenant limit.
        builder.UseSetting("Prepaid:Helpdesk:FilingsPerTenantPerHour", "1000000");
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(Time);
            s.AddHttpClient(DemoPayPage.NotifyClient).ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler());
        });
    }

    public FakeWeChatPayGateway WeChat => Services.GetRequiredService<FakeWeChatPayGateway>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
