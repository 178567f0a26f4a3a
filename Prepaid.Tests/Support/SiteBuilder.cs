using System.Net;
using System.Text.Json;

namespace Prepaid.Tests.Support;

/// <summary>Builds a site through the public API the way an operator would: site, tariff, meters, tenant, account.</summary>
public sealed class SiteBuilder(HttpClient client)
{
    public long SiteId { get; set; }

    public async Task<SiteBuilder> SiteAsync(object? friendlyCutoff = null, bool allowAboveCap = false, string name = "Test mall")
    {
        var site = await client.PostOkAsync("/api/sites", new { name, timeZone = "Asia/Shanghai", friendlyCutoff, allowAboveCap });
        SiteId = site.Id();
        return this;
    }

    public async Task<long> FlatTariffAsync(string price = "1.0000", string utility = "electricity", string effectiveFrom = "2026-01-01T00:00:00+08:00") =>
        (await client.PostOkAsync("/api/tariffs", new
        {
            siteId = SiteId, name = $"Flat {price}", utility, catalogPrice = (string?)null,
            versions = new[] { new { effectiveFrom, kind = "flat", price } },
        })).Id();

    public async Task<long> MeterAsync(string serial, string utility = "electricity", string? multiplier = null) =>
        (await client.PostOkAsync("/api/meters", new { siteId = SiteId, serial, utility, multiplier })).Id();

    public async Task<long> TenantAsync(string name = "Shop 101", string? password = null, string phone = "13800000001") =>
        (await client.PostOkAsync("/api/tenants", new { name, phone, password })).Id();

    public async Task<JsonElement> AccountAsync(long tenantId, IEnumerable<(long MeterId, long TariffId, string Total)> meters, string at,
        string alarm1 = "20.00", string alarm2 = "10.00", string? serviceFeeRate = null, bool keepOn = false, object? extra = null) =>
        await client.PostOkAsync("/api/accounts", new
        {
            tenantId, alarm1, alarm2, serviceFeeRate, keepOn,
            meters = meters.Select(m => new { meterId = m.MeterId, tariffId = m.TariffId, openingReading = new { at, registers = new { total = m.Total } } }),
        });

    public async Task<JsonElement> TopUpAsync(long accountId, string amount, string key, string channel = "cash")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/topups")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { amount, channel }),
        };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"top-up answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public async Task<JsonElement> ReadingsAsync(params object[] readings) =>
        await client.PostOkAsync("/api/readings", readings, HttpStatusCode.OK);

    public async Task<string> BalanceAsync(long accountId) => (await client.GetOkAsync($"/api/accounts/{accountId}")).Str("balance");
}
