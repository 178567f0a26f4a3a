using System.Globalization;
using Prepaid.Api.Localization;

namespace Prepaid.Tests.Localization;

/// <summary>
/// The catalog that renders the API's English messages in zh-CN: every template compiles, and every English sentence
/// in the product's source has an entry, so a message added anywhere without one fails here, not in front of a person.
/// </summary>
public class CatalogTests
{
    static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");
    static readonly CultureInfo En = CultureInfo.GetCultureInfo("en");

    /// <summary>Literals the scan finds that no person is given: documentation constants, data the demo seeds, fragments.</summary>
    static readonly Dictionary<string, string> NotForPeople = new()
    {
        ["First start: the platform created the user 'admin'."] = "console output of the first start",
        ["It is shown only this once and stored only as a hash. Sign in"] = "console output of the first start",
        ["PUT /api/users/me/password with {\"currentPassword\": \"...\", \"newPassword\": \"...\"}"] = "console output of the first start",
        ["Set Prepaid:AdminPassword before the first start to choose it yourself."] = "console output of the first start",
        ["Meters per dashboard state, pending trips, today's top-ups and consumption, a 30-day trend, failed commands and open alarms (site's days)"] = "OpenAPI summary",
        ["default this month); group=day|month|quarter|year gives subtotals per period, kind and meter; format=json|pdf|xlsx"] = "OpenAPI summary",
        ["A year (2026), a quarter (2026-Q4), a month (2026-11) or a day (2026-11-05), in the site's zone; instead of from/to."] = "OpenAPI description",
        ["An amount in CNY as a string with at most 2 decimals, 0.01 … 1000000.00, e.g. \"100.00\"."] = "OpenAPI description",
        ["An amount in CNY as a string with at most 2 decimals, -1000000.00 … 1000000.00."] = "OpenAPI description",
        ["ISO 8601 with offset, 2000-01-01 … 2100-01-01, e.g. \"2026-11-23T08:00:00+08:00\"."] = "OpenAPI description",
        ["A date yyyy-MM-dd (midnight in the site's zone) or an ISO 8601 instant with offset, 2000-01-01 … 2100-01-01."] = "OpenAPI description",
        ["Duplicate propert"] = "a prefix of System.Text.Json's message, matched, never sent",
        ["true or false"] = "a fragment of \"... is not a valid true or false.\"",
        ["initial catalog"] = "a connection string keyword",
        ["public, max-age=31536000, immutable"] = "a Cache-Control header",
        // R36's explanation is one English sentence for machines and print (api.md); pages word a line from its detail.
        ["flat price"] = "statement explanation",
        ["{}: {}{}, {} {} in {} reading{}"] = "statement explanation",
        ["Top-up by {} ({}): paid {}, service fee {}, credited {}"] = "statement explanation",
        ["{} top-ups by {}: paid {}, service fee {}, credited {}"] = "statement explanation",
        ["{} apportionment, rule {} by {}, {} → {}: "] = "statement explanation",
        ["{} apportioned costing {}; this account's weight {} of {} ({} %) = {}"] = "statement explanation",
        ["Refund {} back through {} (order {}), {}"] = "statement explanation",
        ["Refund {} returned to the wallet: {} refused it"] = "statement explanation",
    };

    /// <summary>Messages the code builds from parts: the shape in the source, and messages it makes that must all be known.</summary>
    static readonly Dictionary<string, string[]> Composed = new()
    {
        ["{} not confirmed after {} request(s){}. Asked again after a back-off {}."] =
        [
            "Trip not confirmed after 3 request(s). Asked again after a back-off while the account is in arrears.",
            "Trip not confirmed after 1 request(s): Not delivered: Timeout no reply within the timeout. Asked again after a back-off while the account is in arrears.",
            "Close not confirmed after 2 request(s). Asked again after a back-off until supply is back.",
            "Close not confirmed after 2 request(s): Meter refused: Refused code 4. Asked again after a back-off until supply is back.",
        ],
        ["{} required but cannot be sent: {}"] =
        [
            "Trip required but cannot be sent: The meter has no connection (PUT /api/meters/{id}/connection): nothing can be sent.",
            "Close required but cannot be sent: Unknown profile x.",
        ],
        ["Read-back shows {}{}"] = ["Read-back shows open", "Read-back shows closed, keep-power on"],
        ["The platform reports {}{}"] = ["The platform reports FAILED", "The platform reports FAILED: device offline"],
        ["Accepted by an operator as the baseline, not billed: "] =
            ["Accepted by an operator as the baseline, not billed: No tariff version is effective at 2026-01-01T00:00:00.0000000+00:00: consumption before a tariff's first version has no price (R12a)."],
        ["must be later than versions[{}].effectiveFrom"] = ["must be later than versions[0].effectiveFrom"],
        ["overlaps segments[{}]"] = ["overlaps segments[2]"],
        ["must be above tiers[{}].upTo"] = ["must be above tiers[0].upTo"],
        ["no segment covers {}–24:00"] = ["no segment covers 18:00–24:00"],
    };

    [Fact]
    public void EveryTemplate_Compiles_NamesOnlyItsOwnPlaceholders_AndHasChinese()
    {
        var entries = Catalog.Entries.ToList();
        Assert.True(entries.Count > 250, $"only {entries.Count} entries");
        var problems = new List<string>();
        foreach (var (en, zh) in entries)
        {
            try { Catalog.PatternOf(en, zh); }
            catch (FormatException e) { problems.Add(e.Message); }
        }
        var shapes = entries.GroupBy(e => Catalog.ShapeOf(e.Key)).Where(g => g.Count() > 1).Select(g => string.Join(" | ", g.Select(e => e.Key)));
        problems.AddRange(shapes.Select(s => "same shape: " + s));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(Catalog.Knows("Account 7"));
    }

    [Fact]
    public void EveryEnglishSentenceInTheSource_HasACatalogEntry()
    {
        var known = Catalog.Entries.Select(e => Catalog.ShapeOf(e.Key)).ToHashSet(StringComparer.Ordinal);
        var literals = SourceMessages.Scan("Prepaid.Api", "Prepaid.Engine")
            .Where(l => !Skipped(l.File))
            .ToList();
        Assert.True(literals.Count > 250, $"the scan found only {literals.Count} sentences: is it reading the source?");
        var missing = literals
            .Where(l => !NotForPeople.ContainsKey(l.Shape) && !Composed.ContainsKey(l.Shape) && !known.Contains(Catalog.ShapeOf(l.Shape)))
            .Select(l => $"{l.File}:{l.Line}: \"{l.Shape}\"")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} English messages have no zh-CN entry in Prepaid.Api/Localization/Catalog.*.cs (a placeholder per interpolation hole):\n"
            + string.Join("\n", missing));
    }

    [Fact]
    public void ComposedMessages_AreKnownWhole_AndTheirShapesStillExistInTheSource()
    {
        var shapes = SourceMessages.Scan("Prepaid.Api", "Prepaid.Engine").Select(l => l.Shape).ToHashSet(StringComparer.Ordinal);
        foreach (var (shape, samples) in Composed)
        {
            Assert.True(shapes.Contains(shape), $"\"{shape}\" is no longer in the source: remove it from Composed");
            foreach (var sample in samples)
            {
                var zh = Catalog.Localize(sample, Zh);
                Assert.True(Catalog.HasChinese(zh), $"\"{sample}\" has no zh-CN rendering");
            }
        }
        foreach (var shape in NotForPeople.Keys)
            Assert.True(shapes.Contains(shape), $"\"{shape}\" is no longer in the source: remove it from NotForPeople");
    }

    static bool Skipped(string file) =>
        file.Contains("/Localization/", StringComparison.Ordinal) || file.Contains("/Demo/", StringComparison.Ordinal) || file.Contains("/Fakes/", StringComparison.Ordinal);

    [Fact]
    public void Localize_RendersTemplatesAndNestedNames_InChineseOnly()
    {
        Assert.Equal("未找到账户 7。", Catalog.Localize("Account 7 was not found.", Zh));
        Assert.Equal("Account 7 was not found.", Catalog.Localize("Account 7 was not found.", En));
        Assert.Equal("必须是本站点的水价。", Catalog.Localize("Must be a water tariff of the site.", Zh));
        Assert.Equal("电表 E-0001 不存在。", Catalog.Localize("Meter E-0001 does not exist.", Zh));
        Assert.Equal("未送达：超时 超时未应答", Catalog.Localize("Not delivered: Timeout no reply within the timeout", Zh));
        // A single-token placeholder does not swallow a sentence: "Account {id}" does not read "Account 5 was merged today".
        Assert.Equal("Account 5 was merged today", Catalog.Localize("Account 5 was merged today", Zh));
        // Text a person typed, and text already Chinese, pass unchanged.
        Assert.Equal("北区商场", Catalog.Localize("北区商场", Zh));
        Assert.Equal("Noodle shop", Catalog.Localize("Noodle shop", Zh));
    }

    [Fact]
    public void PatternOf_RefusesAPlaceholderTheEnglishSideLacks_AndAChineseSideWithoutChinese()
    {
        Assert.Throws<FormatException>(() => Catalog.PatternOf("Site {id} does not exist.", "站点 {name} 不存在。"));
        Assert.Throws<FormatException>(() => Catalog.PatternOf("Site {id} does not exist.", "Site {id} does not exist."));
        Assert.Throws<FormatException>(() => Catalog.PatternOf("{a} and {a}", "{a} 和 {a}"));
    }
}
