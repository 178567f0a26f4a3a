using CsCheck;
using Prepaid.Api.Ledger;

namespace Prepaid.Tests.Api;

/// <summary>R21: every source has its own key form, so keys of different sources never collide, whatever a person types.</summary>
public class TransferKeysTests
{
    static readonly string[] PaymentChannels = ["alipay", "wechat"];
    static readonly string[] AllChannels = ["cash", "card", "bank", "alipay", "wechat"];

    // What a cashier may type (the validator's printable ASCII), and, often, text shaped like the other sources' keys.
    static readonly Gen<string> Typed = Gen.OneOf(
        Gen.Char['!', '~'].Array[1, 30].Select(c => new string(c)),
        Gen.Char["0123:alipaywechatcounterPP"].Array[1, 30].Select(c => new string(c)),
        Gen.Select(Gen.Int[0, 1], Gen.Char['A', 'Z'].Array[6, 24], (i, c) => $"{PaymentChannels[i]}:PP{new string(c)}"),
        Gen.Select(Gen.Long[1, 99], Gen.Char['a', 'z'].Array[1, 8], (a, c) => $"counter:{a}:{new string(c)}"));

    static readonly Gen<string> Channel = Gen.Int[0, PaymentChannels.Length - 1].Select(i => PaymentChannels[i]);
    static readonly Gen<long> Account = Gen.Long[1, 1_000_000];

    /// <summary>Every key a source can make from the inputs, named by source.</summary>
    static IEnumerable<(string Source, string Key)> KeysOf(long account, string typed, string channel, string no) =>
    [
        ("counter", TransferKeys.CounterTopUp(account, typed)),
        ("payment", TransferKeys.ChannelTopUp(channel, no)),
        ("refund hold", TransferKeys.RefundHold(channel, no)),
        ("refund paid", TransferKeys.RefundPaid(channel, no)),
        ("refund returned", TransferKeys.RefundReturned(channel, no)),
    ];

    [Fact]
    public void Keys_OfDifferentSources_NeverCollide_R21()
    {
        Gen.Select(Account, Typed, Channel, Typed).Sample((account, typed, channel, no) =>
        {
            var keys = KeysOf(account, typed, channel, no).ToList();
            Assert.Equal(keys.Count, keys.Select(k => k.Key).Distinct().Count());
        }, iter: 20_000);
    }

    [Fact]
    public void CounterKey_ThatSpellsAPaymentsKey_IsStillTheCounters_R21()
    {
        Gen.Select(Account, Channel, Typed).Sample((account, channel, no) =>
        {
            // The attack: a cashier types exactly the tail of a channel's key.
            Assert.NotEqual(TransferKeys.ChannelTopUp(channel, no), TransferKeys.CounterTopUp(account, no));
            Assert.NotEqual(TransferKeys.ChannelTopUp(channel, no), TransferKeys.CounterTopUp(account, $"{channel}:{no}"));
        });
    }

    [Fact]
    public void CounterKeys_AreEqualOnlyForTheSameAccountAndKey_R21()
    {
        // A tiny alphabet with colons, so that equal-looking pairs come up often.
        var small = Gen.Select(Gen.Long[1, 12], Gen.Char["1:2"].Array[0, 4].Select(c => new string(c)));
        Gen.Select(small, small).Sample((a, b) =>
            Assert.Equal(a == b, TransferKeys.CounterTopUp(a.Item1, a.Item2) == TransferKeys.CounterTopUp(b.Item1, b.Item2)), iter: 20_000);
    }

    [Fact]
    public void NewCounterKeys_NeverMeetTheOldForm_R21()
    {
        // Before migration 0005 a counter top-up was topup:<channel>:<typed key>; those postings stay as they are.
        Gen.Select(Account, Typed, Gen.Int[0, AllChannels.Length - 1], Typed).Sample((account, typed, channel, oldTyped) =>
            Assert.NotEqual(TransferKeys.LegacyCounterTopUp(AllChannels[channel], oldTyped), TransferKeys.CounterTopUp(account, typed)));
    }

    [Theory]
    [InlineData("counter")]
    [InlineData("cash")]
    [InlineData("card")]
    [InlineData("bank")]
    [InlineData("")]
    public void ChannelKeys_TakePaymentChannelsOnly_R21(string channel)
    {
        Assert.Throws<ArgumentException>(() => TransferKeys.ChannelTopUp(channel, "PP2611020800001ABCDEFGH"));
        Assert.Throws<ArgumentException>(() => TransferKeys.RefundHold(channel, "RF2611020800001ABCDEFGH"));
    }

    [Theory]
    [InlineData("counter top-up", "topup:counter:17:till-7-0001")]
    [InlineData("counter top-up, key with colons", "topup:counter:17:alipay:PP2611020800001ABCDEFGH")]
    [InlineData("channel payment", "topup:alipay:PP2611020800001ABCDEFGH")]
    [InlineData("refund hold", "refund:wechat:RF2611020800001ABCDEFGH")]
    [InlineData("refund paid", "refund-paid:wechat:RF2611020800001ABCDEFGH")]
    [InlineData("refund returned", "refund-returned:wechat:RF2611020800001ABCDEFGH")]
    public void Forms_AreAsDocumented_R21(string source, string expected)
    {
        var key = source switch
        {
            "counter top-up" => TransferKeys.CounterTopUp(17, "till-7-0001"),
            "counter top-up, key with colons" => TransferKeys.CounterTopUp(17, "alipay:PP2611020800001ABCDEFGH"),
            "channel payment" => TransferKeys.ChannelTopUp("alipay", "PP2611020800001ABCDEFGH"),
            "refund hold" => TransferKeys.RefundHold("wechat", "RF2611020800001ABCDEFGH"),
            "refund paid" => TransferKeys.RefundPaid("wechat", "RF2611020800001ABCDEFGH"),
            _ => TransferKeys.RefundReturned("wechat", "RF2611020800001ABCDEFGH"),
        };
        Assert.Equal(expected, key);
    }
}
