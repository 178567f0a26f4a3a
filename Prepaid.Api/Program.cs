using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Prepaid.Api.Accounts;
using Prepaid.Api.Alarms;
using Prepaid.Api.Apportionments;
using Prepaid.Api.Auth;
using Prepaid.Api.Building;
using Prepaid.Api.Charges;
using Prepaid.Api.Cluster;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;
using Prepaid.Api.Demo;
using Prepaid.Api.Deposits;
using Prepaid.Api.Devices;
using Prepaid.Api.HeatAllocations;
using Prepaid.Api.Estimates;
using Prepaid.Api.Helpdesk;
using Prepaid.Api.Ledger;
using Prepaid.Api.Localization;
using Prepaid.Api.Meters;
using Prepaid.Api.MeterSwaps;
using Prepaid.Api.Outbox;
using Prepaid.Api.Payments;
using Prepaid.Api.Readings;
using Prepaid.Api.ServiceJournal;
using Prepaid.Api.Sites;
using Prepaid.Api.Statements;
using Prepaid.Api.Tariffs;
using Prepaid.Api.Tenancy;
using Prepaid.Api.Tenants;
using Prepaid.Api.TopUps;
using Prepaid.Api.Reports;
using Prepaid.Api.Users;
using Prepaid.Api.WebApp;
using Prepaid.Api.Notifications;
using Scalar.AspNetCore;

var demo = args.Contains("--demo");
var command = args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=') ? args[0] : null;
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo" && a != command).ToArray());

// Time: one clock for the whole platform; tests swap in a FakeTimeProvider.
builder.Services.AddSingleton(TimeProvider.System);

// Data: a SQLite file under ./data by default; PostgreSQL when the connection string has Host= or Port=, SQL Server when it
// otherwise names a server (or Prepaid:Database=postgres / sqlserver).
builder.Services.AddSingleton(sp =>
{
    var connectionString = builder.Configuration.GetConnectionString("Prepaid") ?? "Data Source=data/prepaid.db";
    return Db.Create(builder.Configuration["Prepaid:Database"] ?? Db.ProviderOf(connectionString), connectionString, builder.Environment.ContentRootPath);
});

// The money path: every reading, top-up and apportionment posts through these.
builder.Services.AddSingleton<PostingEventBus>();
builder.Services.AddSingleton<IPostingEvents>(sp => sp.GetRequiredService<PostingEventBus>());
builder.Services.AddSingleton<ReadingIngestor>();
builder.Services.AddSingleton<ApportionmentRunner>();
// Tenancy: move-out and move-in (R26), meter swaps (R27), recurring charges and their hourly job (R28).
builder.Services.AddSingleton<AccountClosing>();
builder.Services.AddSingleton<MeterSwap>();
builder.AddCharges();
builder.Services.AddSingleton<HeatAllocationRun>();

// API surface: camelCase JSON, amounts as strings (numbers accepted), problem details for every error, OpenAPI.
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
    o.SerializerOptions.Converters.Add(new LenientStringConverter());
    // A key sent twice is refused, never silently the last one: {"amount":"10.00","amount":"900.00"} is 400.
    o.SerializerOptions.AllowDuplicateProperties = false;
});
// Problem details for every error, in the caller's language (Accept-Language: zh-CN or en).
builder.Services.AddApiLocalization();
builder.Services.AddExceptionHandler<BadRequestHandler>();
// Unreadable bodies and parameters reach BadRequestHandler in every environment, so the answer names the field.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi(o => o.AddSchemaTransformer<StringSchemas>());

// Sign-in: opaque bearer tokens (or the same token in a cookie for the browser app), roles as policies.
builder.Services.AddAuthentication(TokenAuthentication.SchemeName)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
    .AddPolicy(Roles.Staff, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Cashier, Roles.Auditor))
    .AddPolicy(Roles.Manage, p => p.RequireRole(Roles.Admin, Roles.Operator))
    .AddPolicy(Roles.Cash, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Cashier))
    .AddPolicy(Roles.Pay, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Cashier, Roles.Tenant))
    .AddPolicy(Roles.AdminOnly, p => p.RequireRole(Roles.Admin));
// Guessing passwords: rate limits per client address and user name, a lockout, the same hash work for unknown users.
builder.Services.AddSingleton(builder.Configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions());
builder.Services.AddSingleton<SignInGuard>();
builder.Services.AddRateLimits();

// --demo: the fake Alipay, WeChat Pay and NB-IoT platforms run as their own process (Prepaid.Fakes), started here and
// stopped with the platform, or shared at Prepaid:Demo:FakesUrl; their merchant settings configure both channels.
if (demo && command is null) await DemoPlatforms.AddAsync(builder);

// Payments: Alipay and WeChat Pay orders, notifications, the pending-order job, refunds, reconciliation.
builder.AddPayments();

// Several nodes on one server database: bus and lane leases, Quartz's clustered store, the Redis backplane (off by default).
builder.AddCluster();

// Devices: gateways/buses/connections, the Quartz poller, the command queue and dispatcher, NB-IoT callbacks.
builder.AddDevices();

// Building checks and money: circuits (R32), leak alarms (R33), the compensation quota (R35).
builder.AddBuilding();
// Data quality: R30 estimates (the daily pass), the calibration-due pass.
builder.AddEstimates();
builder.AddServiceJournal();
// Helpdesk: tenants' requests to the staff, with a per-tenant filing limit.
builder.AddHelpdesk();

// Dashboard (issue 4): the grid, the hub, its publisher (IDashboardPublisher for the device layer and payments) and
// the command events follower.
builder.Services.AddSignalR();
builder.Services.AddSingleton<HubConnections>();
builder.Services.AddSingleton<DashboardGrid>();
builder.Services.AddSingleton<DashboardPublisher>();
builder.Services.AddSingleton<IDashboardPublisher>(sp => sp.GetRequiredService<DashboardPublisher>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardPublisher>());
builder.Services.AddHostedService<DeviceEventsBridge>();
builder.Services.AddSingleton<SiteZones>();
// Command states from command_events to this node's own connections (once per client across nodes).
builder.Services.AddHostedService<CommandEventFollower>();
// Notifications to tenants: outbox, subscriptions, SMS / WeChat / e-mail channels, the dispatch loop.
builder.Services.AddNotifications(builder.Configuration);

if (demo) builder.AddDemo();

var app = builder.Build();

// Schema first: numbered migrations from db/, then the first admin.
var db = app.Services.GetRequiredService<Db>();
var time = app.Services.GetRequiredService<TimeProvider>();
await Migrator.ApplyAsync(db, Migrator.LocateScripts(AppContext.BaseDirectory), time.GetUtcNow().ToUnixTimeMilliseconds());
var firstPassword = await AdminSeeder.EnsureAdminAsync(db, app.Configuration, time);

if (command == "check-ledger")
{
    var results = await LedgerCheck.RunAsync(db);
    foreach (var r in results) Console.WriteLine($"{(r.Holds ? "ok  " : "FAIL")} {r.Name}: {r.Detail}");
    var first = results.FirstOrDefault(r => !r.Holds);
    if (first is not null) Console.Error.WriteLine($"First broken invariant: {first.Name}");
    return first is null ? 0 : 1;
}
if (command is not null)
{
    Console.Error.WriteLine($"Unknown command '{command}'. Commands: check-ledger. Flags: --demo.");
    return 2;
}

app.UseApiLocalization();
app.UseSecurityHeaders(apiDocsPath: "/api-docs");
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseNulGuard();
// Dashboard (issue 4): the web app (static files before authentication: pages are public, data is not), users, grid, reports, hub.
app.UseWebApp();
app.MapUsers();
app.MapDashboard();
app.MapReports();
app.MapAccountConsumption();
app.MapHub<DashboardHub>("/hubs/dashboard").RequireAuthorization();
app.UseAuthentication();
app.UseAuthorization();
// After authorization: the helpdesk's limit counts per signed-in tenant, and a refused caller spends nobody's permits.
app.UseRateLimiter();

app.MapOpenApi().AllowAnonymous();
// Fonts from the page's own origin only: its content security policy allows no font CDN.
app.MapScalarApiReference("/api-docs", o => o.DisableDefaultFonts()).AllowAnonymous();

app.MapAuth();
app.MapSites();
app.MapTenants();
app.MapTariffs();
app.MapMeters();
app.MapAccounts();
app.MapStatements();
app.MapNotificationSubscriptions();
app.MapNotifications();
app.MapTopUps();
app.MapReadings();
// Data quality: manual readings and imports (R31), estimates (R30), per-meter limits, the service journal, every alarm in one list.
app.MapReadingImport();
app.MapEstimates();
app.MapMeterLimits();
app.MapServiceJournal();
app.MapAlarms();
app.MapApportionments();
app.MapCharges();
app.MapDeposits();
app.MapTenancy();
app.MapMeterSwaps();
app.MapHeatAllocations();
app.MapOutbox();
app.MapLedgerCheck();
// Payments: orders, channel notifications, refunds, reconciliation, and the demo's fake confirm page.
app.MapPayments();

// Devices: configuration, commands and batches, NB-IoT platform callbacks.
app.MapDevices();

// Building: circuits and their balance, compensations.
app.MapBuilding();

// Helpdesk: tenants' requests, the staff's assignments, comments and closing.
app.MapHelpdesk();

if (demo) await app.SeedDemoAsync();
// The first admin's random password is the last thing the first start prints, framed, with how to change it.
if (firstPassword is not null) AdminSeeder.AnnounceWhenStarted(app, firstPassword, Console.Out);

await app.RunAsync();
return 0;

public partial class Program;
