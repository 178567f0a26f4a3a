namespace Prepaid.Tests.Devices.Simulator;

/// <summary>The DL/T 645 and CJ/T 188 simulators must not build or read frames with the codec they are meant to test
/// (issue 11): a codec bug would then be mirrored and pass. This guards the source against that coming back.</summary>
public class SimulatorIndependenceTests
{
    static string SimulatorFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Prepaid.Devices", "Simulator");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("Prepaid.Devices/Simulator not found above the test binaries.");
    }

    [Theory]
    [InlineData("Dlt645*.cs", "Prepaid.Devices.Dlt645")]
    [InlineData("Cjt188*.cs", "Prepaid.Devices.Cjt188")]
    public void ProtocolSimulators_UseNoneOfTheCodec(string files, string codecNamespace)
    {
        var sources = Directory.GetFiles(SimulatorFolder(), files);
        Assert.NotEmpty(sources);
        var codecTypes = typeof(Prepaid.Devices.Dlt645.Dlt645Codec).Assembly.GetTypes()
            .Where(t => t.Namespace == codecNamespace && t.IsPublic).Select(t => t.Name).ToList();
        Assert.NotEmpty(codecTypes);
        foreach (var file in sources)
        {
            var code = string.Join('\n', File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            Assert.DoesNotContain($"using {codecNamespace}", code, StringComparison.Ordinal);
            foreach (var type in codecTypes)
                Assert.False(System.Text.RegularExpressions.Regex.IsMatch(code, $@"\b{type}\s*[\.\(<]"), $"{Path.GetFileName(file)} uses {type}");
        }
    }
}
