namespace Prepaid.Tests.Architecture;

/// <summary>Dependencies point one way: Api → Devices → Engine. Devices knows no HTTP (the Engine's own test is in Engine/).</summary>
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
}
