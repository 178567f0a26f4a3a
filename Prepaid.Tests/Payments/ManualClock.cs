namespace Prepaid.Tests.Payments;

/// <summary>
/// A clock the test sets by hand. The API tests use FakeTimeProvider; this project keeps to
/// three packages, and the payments code only ever asks for GetUtcNow.
/// </summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    // 2026-11-23 19:07:41 in China, 11:07:41 UTC: the day the clients were written.
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 11, 7, 41, TimeSpan.Zero);

    public ManualClock() : this(Start)
    {
    }

    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
