using System.Numerics;
using CsCheck;
using Xunit;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

public class ApportionPropertyTests
{
    /// <summary>Any total up to ±100 million yuan; 1–20 weights with up to 2 decimals, at least one positive.</summary>
    private static readonly Gen<(long Total, decimal[] Weights)> Splits = Gen.Select(
        Gen.Long[-10_000_000_000, 10_000_000_000],
        Gen.Int[0, 100_000].Array[1, 20].Where(w => w.Any(x => x > 0)).Select(w => w.Select(x => x / 100m).ToArray()));

    [Fact] // R18: shares add up, each within one fen of its exact share, all of the total's sign
    public void LargestRemainder_AnyTotalAndWeights_SumsExactlyWithinOneFenSameSign() =>
        Splits.Sample((total, weights) =>
        {
            var shares = Apportion.LargestRemainder(new Money(total), weights);
            var sum = weights.Sum();

            Assert.Equal(weights.Length, shares.Length);
            Assert.Equal(total, shares.Sum(s => s.Fen));
            for (var i = 0; i < shares.Length; i++)
            {
                // |share − total × w / Σw| < 1, kept in whole numbers by multiplying by Σw.
                Assert.True(Math.Abs(shares[i].Fen * sum - total * weights[i]) < sum);
                Assert.True(shares[i].Fen == 0 || Math.Sign(shares[i].Fen) == Math.Sign(total));
            }
        }, iter: 2000);

    [Fact] // R18: a negative total splits as the exact mirror of the positive one
    public void LargestRemainder_NegatedTotal_NegatedShares() =>
        Splits.Sample((total, weights) =>
            Assert.Equal(Apportion.LargestRemainder(new Money(total), weights).Select(s => -s.Fen),
                Apportion.LargestRemainder(new Money(-total), weights).Select(s => s.Fen)), iter: 500);

    private static readonly decimal[] Scales = [.. Enumerable.Range(0, 25).Select(e => e <= 12 ? Pow10(12 - e) : 1m / Pow10(e - 12))];

    private static decimal Pow10(int e) => e == 0 ? 1m : 10m * Pow10(e - 1);

    /// <summary>
    /// Weights as R18 meets them: areas with two decimals, quotients computed in decimal (1/3 to 28 digits), boundary values
    /// interpolated in time as ValueAt does, and any of these scaled by 10^−12…10^12, so magnitudes lie far apart; some zero.
    /// </summary>
    private static readonly Gen<decimal> Weight = Gen.Frequency(
        (2, Gen.Int[0, 100_000].Select(x => x / 100m)),
        (3, Gen.Select(Gen.Long[1, 10_000_000], Gen.Long[1, 10_000_000], (n, d) => (decimal)n / d)),
        (3, Gen.Select(Gen.Long[0, 100_000_000], Gen.Long[0, 100_000_000], Gen.Long[1, 31 * TimeSpan.TicksPerDay], Gen.Long[1, 31 * TimeSpan.TicksPerDay],
            (before, after, t, span) => before / 1000m + (after - before) / 1000m * Math.Min(t, span) / span - before / 1000m)),
        (3, Gen.Select(Gen.Long[1, 1_000_000], Gen.Long[1, 999], Gen.Int[0, Scales.Length - 1], (n, d, e) => (decimal)n / d * Scales[e])),
        (1, Gen.Const(0m)));

    private static readonly Gen<(long Total, decimal[] Weights)> ExactSplits = Gen.Select(
        Gen.Frequency((3, Gen.Long[-10_000_000_000, 10_000_000_000]), (1, Gen.Long[-2_000, 2_000])),
        Weight.Where(w => w >= 0m).Array[1, 12].Where(w => w.Any(x => x > 0m)));

    [Fact] // R18: for any weights, shares are the largest-remainder split of the exact rational shares and add up to the total
    public void LargestRemainder_AnyWeights_EqualsExactRationalReference_R18() =>
        ExactSplits.Sample(split =>
        {
            var shares = Apportion.LargestRemainder(new Money(split.Total), split.Weights).Select(s => s.Fen).ToArray();

            Assert.Equal(RationalLargestRemainder(split.Total, split.Weights), shares);
            Assert.Equal(split.Total, shares.Sum());
        }, iter: 3000, print: split => $"{split.Total} [{string.Join(", ", split.Weights)}]");

    /// <summary>
    /// The reference: each weight an exact fraction n / 10^scale, each share total × w / Σw a reduced fraction, floors
    /// by BigInteger division, the spare fen to the largest remainders compared by cross-multiplying (ties: earlier index);
    /// a negative total is the mirror of its magnitude.
    /// </summary>
    private static long[] RationalLargestRemainder(long total, decimal[] weights)
    {
        var fractions = weights.Select(Fraction.Of).ToArray();
        var sum = fractions.Aggregate(Fraction.Zero, (a, b) => a + b);
        var magnitude = BigInteger.Abs(total);
        var exact = fractions.Select(w => new Fraction(magnitude, 1) * w / sum).ToArray();
        var floors = exact.Select(e => BigInteger.Divide(e.Numerator, e.Denominator)).ToArray();
        var remainders = exact.Select((e, i) => e - new Fraction(floors[i], 1)).ToArray();
        var leftover = (int)(magnitude - floors.Aggregate(BigInteger.Zero, (a, b) => a + b));
        var order = Enumerable.Range(0, weights.Length).ToList();
        order.Sort((i, j) => remainders[i].CompareTo(remainders[j]) is var c && c != 0 ? -c : i.CompareTo(j));
        foreach (var i in order.Take(leftover)) floors[i] += 1;
        return [.. floors.Select(f => (long)(Math.Sign(total) * f))];
    }
}
