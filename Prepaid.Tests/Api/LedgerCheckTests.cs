using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class LedgerCheckTests
{
    static async Task<(PrepaidApp App, HttpClient Admin)> BusyLedgerAsync()
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("0.6853");
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00", serviceFeeRate: "0.05")).Id();
        await site.TopUpAsync(account, "33.33", "t1");
        await site.ReadingsAsync(
            new { serial = "E-1", at = "2026-11-01T01:00:00+08:00", registers = new { total = "1.01" } },
            new { serial = "E-1", at = "2026-11-01T02:00:00+08:00", registers = new { total = "2.37" } },
            new { serial = "E-1", at = "2026-11-01T03:00:00+08:00", registers = new { total = "9.99" } });
        return (app, admin);
    }

    [Fact]
    public async Task LedgerCheck_AfterTopUpsAndReadings_AllInvariantsHold_R22()
    {
        var (app, admin) = await BusyLedgerAsync();
        using var _ = app;
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.GetRawText());
        Assert.Equal(11, check.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task LedgerCheck_TamperedBalance_NamesTheFirstBrokenInvariant_R22()
    {
        var (app, admin) = await BusyLedgerAsync();
        using var _ = app;
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
            await c.ExecuteAsync("UPDATE ledger_accounts SET balance_fen = balance_fen + 1 WHERE kind = 'wallet'");
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        Assert.False(check.GetProperty("ok").GetBoolean());
        Assert.Equal("debits equal credits", check.Str("firstBroken"));
    }

    [Fact]
    public async Task LedgerCheck_BilledReadingAmountTampered_StoredBalanceDiffersFromLines_R4_R22()
    {
        var (app, admin) = await BusyLedgerAsync();
        using var _ = app;
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
            await c.ExecuteAsync("UPDATE readings SET amount_fen = amount_fen + 1 WHERE id = (SELECT MAX(id) FROM readings WHERE status = 'billed')");
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        Assert.False(check.GetProperty("ok").GetBoolean());
        // The reading row is the wallet's line: the wallet and the revenue store other amounts than their lines sum to.
        Assert.Equal("stored balances equal postings", check.Str("firstBroken"));
        Assert.Matches("^ledger account [0-9]+ \\((wallet|revenue_electricity)\\) stores -?[0-9]+ fen but its postings sum to -?[0-9]+ fen \\(2 broken\\)$",
            Check(check, "stored balances equal postings").Str("detail"));
        Assert.False(Check(check, "billed readings equal their meter's postings").GetProperty("holds").GetBoolean());
    }

    static System.Text.Json.JsonElement Check(System.Text.Json.JsonElement result, string name) =>
        result.GetProperty("checks").EnumerateArray().Single(c => c.Str("name") == name);

    [Fact]
    public async Task BilledReadings_AreTheirOwnLedgerLines_NoPostingRow_ShowTheirReadingsKey_R21()
    {
        var (app, admin) = await BusyLedgerAsync();
        using var _ = app;
        await using var c = new SqliteConnection($"Data Source={app.DatabasePath}");
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM postings WHERE kind = 'consumption'"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM postings WHERE transfer_key IS NULL"));
        var lines = (await c.QueryAsync<(long Id, string? Key, string Kind, long? MeterId, long AtMs, long AccountId)>(
            "SELECT id, transfer_key, kind, meter_id, at_ms, account_id FROM ledger_lines ORDER BY id")).ToList();
        var consumption = lines.Where(p => p.Kind == "consumption").ToList();
        Assert.Equal(3, consumption.Count);
        Assert.All(consumption, p => Assert.Null(p.Key));
        // A reading's line is −readings.id: the reading of that meter and instant.
        foreach (var line in consumption)
            Assert.Equal(-line.Id, await c.ExecuteScalarAsync<long>("SELECT id FROM readings WHERE meter_id = @MeterId AND at_ms = @AtMs", new { line.MeterId, line.AtMs }));
        Assert.All(lines.Where(p => p.Kind != "consumption"), p => Assert.NotNull(p.Key));
        // The account's history names each consumption line by its reading.
        var history = await admin.GetOkAsync($"/api/accounts/{consumption[0].AccountId}/ledger?limit=50");
        var keys = history.EnumerateArray().Where(l => l.Str("kind") == "consumption").Select(l => l.Str("key")).OrderBy(k => k).ToList();
        Assert.Equal(consumption.Select(p => $"reading:{p.MeterId}:{p.AtMs}").OrderBy(k => k), keys);
        // The schema lets no other posting go without a key.
        await Assert.ThrowsAsync<SqliteException>(() => c.ExecuteAsync(
            "INSERT INTO postings (transfer_key, leg, kind, at_ms, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen) VALUES (NULL, 0, 'adjustment', 0, 1, 2, 5, 0, 0)"));
    }

    [Fact]
    public async Task LedgerCheck_PostingRepeatingABilledReadingsLine_BreaksKeyUniqueness_R21_R22()
    {
        var (app, admin) = await BusyLedgerAsync();
        using var _ = app;
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
            await c.ExecuteAsync("""
                INSERT INTO postings (transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen)
                SELECT NULL, 0, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, 0, 0
                FROM ledger_lines WHERE kind = 'consumption' ORDER BY id LIMIT 1
                """);
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        var keys = Check(check, "idempotency keys unique");
        Assert.False(keys.GetProperty("holds").GetBoolean());
        Assert.Matches("^key reading:[0-9]+:[0-9]+ appears twice$", keys.Str("detail"));
    }

    [Fact]
    public async Task LedgerCheck_KeyedPostingUnderABilledReadingsKey_BreaksKeyUniqueness_R21_R22()
    {
        var (app, admin) = await BusyLedgerAsync();
        using var _ = app;
        string key;
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            var line = await c.QueryFirstAsync<(long MeterId, long AtMs)>("SELECT meter_id, at_ms FROM ledger_lines WHERE kind = 'consumption' ORDER BY id LIMIT 1");
            key = $"reading:{line.MeterId}:{line.AtMs}";
            await c.ExecuteAsync("""
                INSERT INTO postings (transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen)
                SELECT @key, 0, 'adjustment', at_ms, account_id, meter_id, credit_ledger_id, debit_ledger_id, 1, 0, 0
                FROM ledger_lines WHERE kind = 'consumption' ORDER BY id LIMIT 1
                """, new { key });
        }
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        var keys = Check(check, "idempotency keys unique");
        Assert.False(keys.GetProperty("holds").GetBoolean());
        Assert.Equal($"key {key} appears twice", keys.Str("detail"));
    }

    [Fact]
    public async Task LedgerCheck_KeylessPostingWithoutABilledReading_IsNamed_R22()
    {
        var (app, admin) = await BusyLedgerAsync();
        using var _ = app;
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
            await c.ExecuteAsync("""
                INSERT INTO postings (transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen)
                SELECT NULL, 0, kind, at_ms + 1, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, 0, 0
                FROM ledger_lines WHERE kind = 'consumption' ORDER BY id LIMIT 1
                """);
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        var unread = Check(check, "consumption postings have their billed reading");
        Assert.False(unread.GetProperty("holds").GetBoolean());
        Assert.Matches("^posting [0-9]+ \\(reading:[0-9]+:[0-9]+\\) has no billed reading$", unread.Str("detail"));
        Assert.True(Check(check, "billed readings equal their meter's postings").GetProperty("holds").GetBoolean());
    }

    [Fact]
    public async Task CheckLedgerCommand_ExitsNonZeroOnBrokenLedgerAndZeroOnSound_R22()
    {
        var (app, _) = await BusyLedgerAsync();
        using var _app = app;
        Assert.Equal(0, await RunCheckAsync(app.DatabasePath));
        await using (var c = new SqliteConnection($"Data Source={app.DatabasePath}"))
            await c.ExecuteAsync("INSERT INTO postings (transfer_key, leg, kind, at_ms, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen) VALUES ('forged', 0, 'adjustment', 0, 1, 2, 5, 0, 0)");
        Assert.Equal(1, await RunCheckAsync(app.DatabasePath));
    }

    static async Task<int> RunCheckAsync(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        var dll = Path.Combine(AppContext.BaseDirectory, "Prepaid.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "check-ledger", $"--ConnectionStrings:Prepaid=Data Source={databasePath}", "--Prepaid:AdminPassword=x"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Contains("debits equal credits", output);
        return process.ExitCode;
    }
}

public class ConcurrencyTests
{
    [Fact]
    public async Task ConcurrentTopUpsAndReadings_AddUpExactly_R22()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meters = new long[4];
        var accounts = new long[4];
        for (var i = 0; i < 4; i++)
        {
            meters[i] = await site.MeterAsync($"E-{i}");
            accounts[i] = (await site.AccountAsync(await site.TenantAsync($"T{i}", phone: $"1370000000{i}"), [(meters[i], tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        }
        // 40 top-ups of 1.00 and 40 readings of 0.50 kWh each, all at once, across four accounts; every top-up twice.
        var work = new List<Task>();
        for (var k = 0; k < 40; k++)
        {
            var account = accounts[k % 4];
            var key = $"c-{k}";
            work.Add(site.TopUpAsync(account, "1.00", key));
            work.Add(site.TopUpAsync(account, "1.00", key));
            var at = DateTimeOffset.Parse("2026-11-01T00:00:00+08:00").AddMinutes(10 * (k / 4 + 1)).ToString("yyyy-MM-ddTHH:mm:sszzz");
            work.Add(site.ReadingsAsync(new { serial = $"E-{k % 4}", at, registers = new { total = ((k / 4 + 1) * 0.5m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) } }));
        }
        await Task.WhenAll(work);
        // Each account: 10 top-ups of 1.00 = 10.00; readings arrive in any order, but the last is 5.00 kWh = 5.00.
        Assert.Equal(["5.00", "5.00", "5.00", "5.00"], await Task.WhenAll(accounts.Select(site.BalanceAsync)));
        Assert.True((await admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
    }
}
