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
}
