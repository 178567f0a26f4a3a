using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class TariffTests
{
    static object Tou(object[] segments, string peak = "1.0000") => new
    {
        effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tou",
        prices = new { sharp = "1.2000", peak, flat = "0.7000", valley = "0.3000" }, segments,
    };

    static readonly object[] FullDay =
    [
        new { from = "00:00", to = "08:00", period = "valley" },
        new { from = "08:00", to = "18:00", period = "peak" },
        new { from = "18:00", to = "00:00", period = "flat" },
    ];

    [Fact]
    public async Task Tariff_TimeOfUse_IsStoredAndReadBack()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var created = await admin.PostOkAsync("/api/tariffs", new { siteId = site.SiteId, name = "TOU", utility = "electricity", catalogPrice = "1.2000", versions = new[] { Tou(FullDay) } });
        var read = await admin.GetOkAsync($"/api/tariffs/{created.Id()}");
        Assert.Equal(3, read.GetProperty("versions")[0].GetProperty("segments").GetArrayLength());
    }

    [Fact]
    public async Task Tariff_OverlappingSegments_Answers400NamingTheSegments()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        object[] overlapping = [new { from = "00:00", to = "09:00", period = "valley" }, new { from = "08:00", to = "00:00", period = "peak" }];
        var response = await admin.PostAsJsonAsync("/api/tariffs", new { siteId = site.SiteId, name = "Bad", utility = "electricity", versions = new[] { Tou(overlapping) } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.ReadJsonAsync()).ErrorFields();
        Assert.Contains(fields, f => f.StartsWith("versions[0].segments"));
        Assert.Empty((await admin.GetOkAsync("/api/tariffs")).EnumerateArray());
    }

    [Fact]
    public async Task Tariff_PriceAboveCap_Answers422_R17()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        // Catalogue 0.6000 × 1.15 = 0.6900; a peak of 0.6901 is refused.
        var response = await admin.PostAsJsonAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "Too dear", utility = "electricity", catalogPrice = "0.6000",
            versions = new[] { new { effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "flat", price = "0.6901" } },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("versions[0].price", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Empty((await admin.GetOkAsync("/api/tariffs")).EnumerateArray());
    }

    [Fact]
    public async Task Tariff_PriceAboveCap_OnSiteThatAllowsIt_IsStoredWithWarning_R17()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(allowAboveCap: true);
        var created = await admin.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "Dear", utility = "electricity", catalogPrice = "0.6000",
            versions = new[] { new { effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "flat", price = "0.7000" } },
        });
        Assert.Contains("versions[0]", created.Str("capWarning"));
    }

    [Fact]
    public async Task Tariff_NewVersionInThePast_Answers422_R12()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var response = await admin.PostAsJsonAsync($"/api/tariffs/{tariff}/versions",
            new { version = new { effectiveFrom = "2026-10-01T00:00:00+08:00", kind = "flat", price = "2.0000" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("version.effectiveFrom", (await response.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task Tariff_PriceChangeMidInterval_SplitsByTime_R12()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        await admin.PostOkAsync($"/api/tariffs/{tariff}/versions",
            new { version = new { effectiveFrom = "2026-11-02T12:00:00+08:00", kind = "flat", price = "2.0000" } }, HttpStatusCode.OK);
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-02T08:00:00+08:00")).Id();
        // 8 kWh over 08:00–16:00: 4 h at 1.00 and 4 h at 2.00 = 4 + 8 = 12.00.
        var billed = (await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-02T16:00:00+08:00", registers = new { total = "8.00" } }))[0];
        Assert.Equal("12.00", billed.Str("amount"));
        Assert.Equal("-12.00", await site.BalanceAsync(account));
    }

    [Fact]
    public async Task Tariff_PeriodRegisters_ArePricedPerPeriod_R11()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = (await admin.PostOkAsync("/api/tariffs", new { siteId = site.SiteId, name = "TOU", utility = "electricity", versions = new[] { Tou(FullDay) } })).Id();
        var meter = await site.MeterAsync("E-645");
        var account = (await admin.PostOkAsync("/api/accounts", new
        {
            tenantId = await site.TenantAsync(), alarm1 = "20.00", alarm2 = "10.00",
            meters = new[] { new { meterId = meter, tariffId = tariff, openingReading = new { at = "2026-11-01T00:00:00+08:00",
                registers = new { total = "10.00", sharp = "1.00", peak = "2.00", flat = "3.00", valley = "4.00" } } } },
        })).Id();
        // Δ sharp 1, peak 2, flat 3, valley 4 = 10 kWh: 1.20 + 2.00 + 2.10 + 1.20 = 6.50
        var billed = (await site.ReadingsAsync(new { serial = "E-645", at = "2026-11-02T00:00:00+08:00",
            registers = new { total = "20.00", sharp = "2.00", peak = "4.00", flat = "6.00", valley = "8.00" } }))[0];
        Assert.Equal("6.50", billed.Str("amount"));
        Assert.Equal("-6.50", await site.BalanceAsync(account));
    }
}
