using Xunit;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

public class EngineDependencyTests
{
    [Fact] // The engine is pure: it references the base library only, no package.
    public void ReferencedAssemblies_EngineAssembly_OnlyTheBaseLibrary() =>
        Assert.All(typeof(Money).Assembly.GetReferencedAssemblies(), a => Assert.StartsWith("System.", a.Name));
}
