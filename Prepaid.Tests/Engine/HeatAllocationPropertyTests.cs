using System.Numerics;
using CsCheck;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

public class HeatAllocationPropertyTests
{
    /// <summary>
    /// Buildings of 1–30 flats of 5–250 m² (two decimals), each without allocators or with 0–5000 units (one decimal), at
    /// least one unit where any flat has allocators; Q up to 100000 with three decimals, a cost up to 10 million with
    /// four decimals (a priced quantity), Ur 0.50–0.90 by hundredths, k 1.00–4.00.
    /// </summary>
    static readonly Gen<(decimal Q, decimal Cost, decimal Ur, decimal K, HeatFlat[] Flats)> Buildings = Gen.Select(
        Gen.Long[1, 100_000_000].Select(q => q / 1000m),
        Gen.Long[0, 100_000_000_000].Select(c => c / 10_000m),
        Gen.Int[50, 90].Select(u => u / 100m),
        Gen.Int[100, 400].Select(k => k / 100m),
        Gen.Select(Gen.Int[500, 25_000], Gen.Frequency((1, Gen.Const((int?)null)), (3, Gen.Int[0, 50_000].Select(u => (int?)u))),
                (a, u) => new HeatFlat(a / 100m, u / 10m)).Array[1, 30]
            .Where(f => f.All(x => x.AllocatorUnits is null) || f.Sum(x => x.AllocatorUnits ?? 0m) > 0m));

    [Fact] // R34: money adds up to round(C) to the fen, each flat within a fen of C × q / Q, quantities add up to Q
    public void AnyBuilding_AmountsSumExactlyToThePricedHeat_R34() =>
        Buildings.Sample(b =>
        {
            var shares = HeatAllocation.Allocate(b.Q, b.Cost, b.Ur, b.K, b.Flats);
            var total = Fraction.Of(b.Cost * 100m).RoundHalfAwayFromZero();

            Assert.Equal((long)total, shares.Sum(s => s.Amount.Fen));
            Assert.Equal(b.Q, shares.Sum(s => s.ShownQuantity));
            var reference = Reference(b.Q, b.Ur, b.K, b.Flats);
            var q = Fraction.Of(b.Q);
            for (var i = 0; i < shares.Length; i++)
            {
                Assert.Equal(reference[i].Numerator, shares[i].Quantity.Numerator);
                Assert.Equal(reference[i].Denominator, shares[i].Quantity.Denominator);
                var exact = new Fraction(total, 1) * reference[i] / q;
                Assert.True((new Fraction(shares[i].Amount.Fen, 1) - exact).Abs() < new Fraction(1, 1));
                Assert.Equal(b.Flats[i].AllocatorUnits is null ? HeatModel.TwoEG : HeatModel.ThreeEG, shares[i].Model);
            }
        }, iter: 1000, print: b => $"Q={b.Q} C={b.Cost} Ur={b.Ur} k={b.K} [{string.Join(", ", b.Flats.Select(f => $"{f.AreaM2}/{f.AllocatorUnits}"))}]");

    [Fact] // R34: a flat's quantity never depends on the order the flats are listed in, and neither does the building's total
    public void AnyBuilding_ReversedOrder_SameQuantities_R34() =>
        Buildings.Sample(b =>
        {
            var forward = HeatAllocation.Quantities(b.Q, b.Ur, b.K, b.Flats);
            var backward = HeatAllocation.Quantities(b.Q, b.Ur, b.K, [.. b.Flats.Reverse()]);
            Assert.Equal(forward, backward.Reverse());
        }, iter: 300);

    /// <summary>R34 written out independently in the tests' own fractions.</summary>
    static Fraction[] Reference(decimal q, decimal ur, decimal k, HeatFlat[] flats)
    {
        Fraction Sum(IEnumerable<decimal> xs) => xs.Aggregate(Fraction.Zero, (s, x) => s + Fraction.Of(x));
        var aN = Sum(flats.Where(f => f.AllocatorUnits is null).Select(f => f.AreaM2));
        var aM = Sum(flats.Where(f => f.AllocatorUnits is not null).Select(f => f.AreaM2));
        var units = Sum(flats.Select(f => f.AllocatorUnits ?? 0m));
        var qN = Fraction.Of(q) * Fraction.Of(k) * aN / (Fraction.Of(k) * aN + aM);
        var qM = Fraction.Of(q) - qN;
        return [.. flats.Select(f => f.AllocatorUnits is null
            ? qN * Fraction.Of(f.AreaM2) / aN
            : qM * Fraction.Of(ur) * Fraction.Of(f.AllocatorUnits.Value) / units + qM * (new Fraction(1, 1) - Fraction.Of(ur)) * Fraction.Of(f.AreaM2) / aM)];
    }
}
