using Xunit;

namespace Prepaid.Tests.Devices.Support;

/// <summary>The 100,000-input property tests saturate every core (CsCheck samples on all of
/// them); running them alone keeps the loopback tests' timeouts meaningful on small CI machines.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CpuHeavyCollection
{
    public const string Name = "CPU-heavy property tests";
}
