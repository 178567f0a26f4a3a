using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>Rules list their shares in the API's camelCase, so a client reads each share's account.</summary>
public class ApportionmentSharesTests
{
    [Fact]
    public async Task Rules_ListSharesInCamelCase_WithTheTariffGivenOnTheRule()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var master = await site.MeterAsync("MASTER"); // no tariff on the meter: the rule names one
        var shop = await site.MeterAsync("S-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(shop, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        var rule = await admin.PostOkAsync("/api/apportionments", new
        {
            siteId = site.SiteId, masterMeterId = master, tariffId = tariff, kind = "common", method = "weights",
            shares = new[] { new { accountId = account, weight = "2.5" } },
        });
        Assert.Equal(tariff, rule.GetProperty("tariffId").GetInt64());

        var listed = (await admin.GetOkAsync($"/api/apportionments?siteId={site.SiteId}")).EnumerateArray().Single();
        var share = listed.GetProperty("shares")[0];
        Assert.Equal(account, share.GetProperty("accountId").GetInt64());
        Assert.Equal("2.5", share.Str("weight"));
        Assert.False(share.TryGetProperty("AccountId", out _));
    }
}
