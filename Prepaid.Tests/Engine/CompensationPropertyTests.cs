using CsCheck;
using Prepaid.Engine;
using Xunit;

namespace Prepaid.Tests.Engine;

public class CompensationPropertyTests
{
    /// <summary>A bill up to a million yuan and 1–30 tenants' charges up to 50,000 yuan each (some nothing), at least one charged.</summary>
    static readonly Gen<(long Bill, long[] Charged)> Cases = Gen.Select(
        Gen.Long[0, 100_000_000],
        Gen.Frequency((1, Gen.Const(0L)), (6, Gen.Long[1, 5_000_000])).Array[1, 30].Where(c => c.Any(x => x > 0)));

    /// <summary>
    /// The reference, in exact rationals and written apart from the engine: share i = (B − S) × cᵢ / S; each gets the floor
    /// of its |share| and the fen left over go one at a time to the largest fractional parts, the earlier account first on a tie.
    /// </summary>
    static long[] Reference(long bill, long[] charged)
    {
        var sum = charged.Sum();
        var difference = bill - sum;
        var exact = charged.Select(c => new Fraction(Math.Abs(difference), 1) * new Fraction(c, sum)).ToArray();
        var floors = exact.Select(e => (long)e.Floor()).ToArray();
        var left = Math.Abs(difference) - floors.Sum();
        foreach (var i in Enumerable.Range(0, charged.Length).OrderByDescending(i => exact[i] - floors[i]).ThenBy(i => i).Take((int)left)) floors[i]++;
        return [.. floors.Select(f => Math.Sign(difference) * f)];
    }

    [Fact] // R35: every tenant's share of B − S equals the exact rational reference to the fen, and the shares add up to B − S
    public void Split_EqualsExactRationalReference_R35() =>
        Cases.Sample((bill, charged) =>
        {
            var split = Compensation.Split(new Money(bill), [.. charged.Select(c => new Money(c))]);
            Assert.NotNull(split);
            Assert.Equal(bill - charged.Sum(), split.Value.Difference.Fen);
            Assert.Equal(Reference(bill, charged), split.Value.Shares.Select(s => s.Fen));
            Assert.Equal(split.Value.Difference.Fen, split.Value.Shares.Sum(s => s.Fen));
        }, iter: 2000);

    [Fact] // R35: no one charged and a bill to share gives nothing to split by; an equal bill posts nothing
    public void Split_NothingCharged_NoSplit_EqualBill_Zeros_R35()
    {
        Assert.Null(Compensation.Split(new Money(100), [new Money(0)]));
        Assert.Equal([0L, 0L], Compensation.Split(new Money(300), [new Money(100), new Money(200)])!.Value.Shares.Select(s => s.Fen));
    }
}
