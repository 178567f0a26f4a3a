using Prepaid.Engine;
using Prepaid.Fakes;
using Prepaid.Payments.Alipay;

namespace Prepaid.Tests.Architecture;

/// <summary>
/// Dependencies point one way: Api → Devices, Payments → Engine; the fakes stand beside, used by tests and the demo's
/// own process only. Each rule is checked on the IL's references (<see cref="AssemblyRules"/>), and
/// <see cref="RuleEvidenceTests"/> shows each one reporting an assembly that breaks it.
/// </summary>
public class DependencyTests
{
    static string[] References(Type anchor) => anchor.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

    [Fact]
    public void Devices_DoesNotReferenceTheApiOrAspNetCore()
    {
        var references = References(typeof(Prepaid.Devices.Codec.Crc16Modbus));
        Assert.DoesNotContain("Prepaid.Api", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore"));
    }

    [Fact] // No package, and no I/O, network, console, environment, process, clock or randomness in what its IL calls.
    public void Engine_UsesNoPackageIoClockOrRandomness() =>
        Assert.Empty(AssemblyRules.EngineViolations(AssemblyRules.Image(typeof(Money))));

    [Fact]
    public void Devices_KnowsNoAspNetCoreAndNoDatabase() =>
        Assert.Empty(AssemblyRules.WebOrDatabaseViolations(AssemblyRules.Image(typeof(Prepaid.Devices.Codec.Crc16Modbus))));

    [Fact]
    public void Payments_KnowsNoAspNetCoreAndNoDatabase() =>
        Assert.Empty(AssemblyRules.WebOrDatabaseViolations(AssemblyRules.Image(typeof(AlipayClient))));

    [Fact] // The production assembly carries no fake: no reference to Prepaid.Fakes, no type named Fake….
    public void Api_CarriesNoFake() => Assert.Empty(AssemblyRules.FakeViolations(AssemblyRules.Image(typeof(Program))));

    [Fact] // The payment clients and the device layer stand below the API and beside the fakes.
    public void DevicesAndPayments_ReferenceNeitherTheApiNorTheFakes()
    {
        foreach (var anchor in new[] { typeof(Prepaid.Devices.Codec.Crc16Modbus), typeof(AlipayClient) })
            Assert.DoesNotContain(References(anchor), r => r is "Prepaid.Api" or "Prepaid.Fakes");
        Assert.DoesNotContain("Prepaid.Api", References(typeof(FakePlatforms)));
    }
}
