using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Bench;

/// <summary>
/// The tenant's phone page over a slow mobile link: Chromium's own network emulation (DevTools
/// Network.emulateNetworkConditions: 1.6 Mbps down, 750 kbps up, 150 ms latency), a cold cache, a signed-in tenant whose
/// shop read every 5 seconds for a day (17,280 readings, the demo's pace). Counts the bytes that crossed the link
/// (encodedDataLength: compressed bodies and headers) until the balance is on screen, the time until then and until the
/// day's statement is, and the total once the network is idle (the live hub included, loaded after the first paint).
/// </summary>
public static class PhonePageBench
{
    const string Phone = "13999999999", Password = "bench-phone-pass";
    static readonly DateTimeOffset Day = new(2026, 12, 10, 0, 0, 0, TimeSpan.FromHours(8));

    public static async Task RunAsync(IServiceProvider services, string url, string adminToken, long siteId)
    {
        var (account, token) = await SeedAsync(services, url, adminToken, siteId);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var runs = new List<Run>();
        for (var run = 0; run < 3; run++) runs.Add(await LoadAsync(browser, url, token, account));
        foreach (var (r, i) in runs.Select((r, i) => (r, i)))
            Console.WriteLine($"  phone page run {i + 1}: balance at {r.BalanceMs:N0} ms after {r.BalanceBytes / 1024.0:N0} KB, the day's statement (17,280 readings explained) " +
                              $"at {r.StatementMs:N0} ms; {r.TotalBytes / 1024.0:N0} KB once idle ({r.Encodings})");
        Console.WriteLine($"  phone page over 1.6 Mbps / 150 ms, cold: {runs.Average(r => r.TotalBytes) / 1024.0:N0} KB transferred, balance shown in " +
                          $"{runs.Average(r => r.BalanceMs):N0} ms, statement in {runs.Average(r => r.StatementMs):N0} ms (aim ≤ 300 KB, ≤ 2,500 ms)");
    }

    sealed record Run(double BalanceMs, long BalanceBytes, double StatementMs, long TotalBytes, string Encodings);

    static async Task<Run> LoadAsync(IBrowser browser, string url, string token, long account)
    {
        // A fresh context: nothing cached, as on a tenant's first visit.
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, Locale = "zh-CN",
        });
        await context.AddInitScriptAsync($"localStorage.setItem('prepaid.token', '{token}');");
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.setCacheDisabled", new() { ["cacheDisabled"] = true });
        await cdp.SendAsync("Network.emulateNetworkConditions", new()
        {
            ["offline"] = false, ["latency"] = 150, ["downloadThroughput"] = 1_600_000 / 8, ["uploadThroughput"] = 750_000 / 8,
        });
        long bytes = 0;
        var encodings = new Dictionary<string, int>();
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) => Interlocked.Add(ref bytes, (long)e!.Value.GetProperty("encodedDataLength").GetDouble());
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            var headers = e!.Value.GetProperty("response").GetProperty("headers");
            var encoding = headers.EnumerateObject().FirstOrDefault(h => h.Name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase)).Value;
            var name = encoding.ValueKind == JsonValueKind.String ? encoding.GetString()! : "identity";
            lock (encodings) encodings[name] = encodings.GetValueOrDefault(name) + 1;
        };

        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/m/", new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        var panel = page.GetByTestId($"m-account-{account}");
        await Assertions.Expect(panel.GetByTestId("m-balance")).ToContainTextAsync("¥", new() { Timeout = 60_000 });
        var balanceMs = clock.Elapsed.TotalMilliseconds;
        var balanceBytes = Interlocked.Read(ref bytes);
        await Assertions.Expect(panel.GetByTestId("m-period-2026-12-10")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var statementMs = clock.Elapsed.TotalMilliseconds;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 60_000 });
        lock (encodings)
            return new Run(balanceMs, balanceBytes, statementMs, Interlocked.Read(ref bytes),
                string.Join(", ", encodings.OrderByDescending(e => e.Value).Select(e => $"{e.Value} {e.Key}")));
    }

    /// <summary>A tenant who can sign in, a shop on the bench's flat tariff, a day of 5-second readings and a top-up.</summary>
    static async Task<(long Account, string Token)> SeedAsync(IServiceProvider services, string url, string adminToken, long siteId)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(url) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        async Task<JsonElement> Post(string path, object body)
        {
            var response = await admin.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement;
        }
        var tariff = (await admin.GetFromJsonAsync<JsonElement>("/api/tariffs"))[0].GetProperty("id").GetInt64();
        var meter = (await Post("/api/meters", new { siteId, serial = "PHONE-1", utility = "electricity" })).GetProperty("id").GetInt64();
        var tenant = (await Post("/api/tenants", new { name = "手机基准 Phone bench", phone = Phone, password = Password })).GetProperty("id").GetInt64();
        var account = (await Post("/api/accounts", new
        {
            tenantId = tenant, alarm1 = "20.00", alarm2 = "10.00",
            meters = new[] { new { meterId = meter, tariffId = tariff, openingReading = new { at = Day.ToString("O"), registers = new { total = "0" } } } },
        })).GetProperty("id").GetInt64();
        using (var topUp = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{account}/topups") { Content = JsonContent.Create(new { amount = "300.00", channel = "cash" }) })
        {
            topUp.Headers.Add("Idempotency-Key", "phone-bench-1");
            (await admin.SendAsync(topUp)).EnsureSuccessStatusCode();
        }
        var ingestor = services.GetRequiredService<ReadingIngestor>();
        const int perDay = 86_400 / 5;
        for (var start = 1; start <= perDay; start += 5_000)
            await ingestor.IngestAsync(Enumerable.Range(start, Math.Min(5_000, perDay - start + 1))
                .Select(i => new ReadingInput(meter, Day.AddSeconds(5 * i), new Registers(i / 100m))).ToList());

        var signIn = await admin.PostAsJsonAsync("/api/auth/token", new { username = Phone, password = Password });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return (account, token);
    }
}
