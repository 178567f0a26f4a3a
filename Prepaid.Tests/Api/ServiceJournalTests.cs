using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Prepaid.Api.ServiceJournal;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>A meter's service journal: entries with who and when, calibration due days and their alarm, the export.</summary>
public class ServiceJournalTests
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task CalibrationDueWithinTheWarningPeriod_RaisesOneAlarm_ANewCalibrationClearsIt()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var meter = await site.MeterAsync("E-1");
        var calibration = app.Services.GetRequiredService<CalibrationDue>();
        Assert.Equal(30, calibration.WarningDays);

        var installed = await admin.PostOkAsync($"/api/meters/{meter}/service-entries",
            new { kind = "installation", day = "2025-12-20", note = "新装 installed", nextDueDay = "2026-12-20" });
        Assert.Equal(("installation", "admin"), (installed.Str("kind"), installed.GetProperty("enteredBy").Str("username")));
        Assert.Equal(PrepaidApp.Start, DateTimeOffset.Parse(installed.Str("enteredAt")));
        await admin.PostOkAsync($"/api/meters/{meter}/service-entries", new { kind = "repair", day = "2026-03-01", note = "terminal" });

        // 2 November: due in 48 days, outside the 30-day warning. 21 November: 29 days, inside.
        Assert.Empty(await calibration.RunAsync(new DateTimeOffset(2026, 11, 2, 9, 0, 0, China)));
        var raised = Assert.Single(await calibration.RunAsync(new DateTimeOffset(2026, 11, 21, 9, 0, 0, China)));
        Assert.Equal((meter, "calibrationDue", true), (raised.MeterId, raised.Kind, raised.Raised));
        Assert.Empty(await calibration.RunAsync(new DateTimeOffset(2026, 11, 22, 9, 0, 0, China)));
        var alarm = Assert.Single((await admin.GetOkAsync("/api/alarms?kind=calibrationDue&openOnly=true")).EnumerateArray());
        Assert.Contains("2026-12-20", alarm.Str("detail"));

        await admin.PostOkAsync($"/api/meters/{meter}/service-entries", new { kind = "calibration", day = "2026-11-25", nextDueDay = "2027-11-25" });
        var cleared = Assert.Single(await calibration.RunAsync(new DateTimeOffset(2026, 11, 25, 10, 0, 0, China)));
        Assert.False(cleared.Raised);
        Assert.Empty((await admin.GetOkAsync("/api/alarms?kind=calibrationDue&openOnly=true")).EnumerateArray());

        // Newest first; exported as .xlsx, per meter and per site.
        var journal = (await admin.GetOkAsync($"/api/meters/{meter}/service-entries")).EnumerateArray().Select(e => e.Str("kind")).ToArray();
        Assert.Equal(["calibration", "repair", "installation"], journal);
        foreach (var url in new[] { $"/api/meters/{meter}/service-entries?format=xlsx", $"/api/service-entries?siteId={site.SiteId}&format=xlsx" })
        {
            var sheet = MiniExcel.Query(new MemoryStream(await admin.GetByteArrayAsync(url)), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(journal, sheet.Select(r => (string)r["kind"]!).ToArray());
            Assert.Equal("新装 installed", sheet[2]["note"]);
        }
    }

    [Fact]
    public async Task ServiceEntry_BadFields_Answer400NamingThem()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var meter = await site.MeterAsync("E-1");
        var bad = await admin.PostAsJsonAsync($"/api/meters/{meter}/service-entries", new { kind = "polish", day = "2026-11-31", nextDueDay = "2026-11-01", note = new string('x', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["day", "kind", "note"], (await bad.ReadJsonAsync()).ErrorFields().Order().ToArray());
        var before = await admin.PostAsJsonAsync($"/api/meters/{meter}/service-entries", new { kind = "calibration", day = "2026-11-02", nextDueDay = "2026-11-01" });
        Assert.Equal(["nextDueDay"], (await before.ReadJsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/meters/999/service-entries", new { kind = "other", day = "2026-11-02" })).StatusCode);
        Assert.Empty((await admin.GetOkAsync($"/api/meters/{meter}/service-entries")).EnumerateArray());
    }
}
