using System.Security.Cryptography;

namespace Prepaid.Api.Payments.Orders;

/// <summary>
/// Our out_trade_no: "PP" + China time to the second + 8 random characters. 22 characters of [0-9A-Z] fit both
/// channels' rules (WeChat Pay: 6-32 of [0-9A-Za-z_-|*]), sort by time in the channels' consoles, and cannot be guessed.
/// </summary>
public static class OutTradeNumbers
{
    const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static string New(string prefix, DateTimeOffset now) =>
        prefix + now.ToOffset(PaymentClock.ChinaOffset).ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture)
        + new string(RandomNumberGenerator.GetItems<char>(Alphabet, 8));
}
