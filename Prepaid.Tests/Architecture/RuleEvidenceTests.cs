using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using Prepaid.Fakes;

namespace Prepaid.Tests.Architecture;

/// <summary>
/// Each architecture rule can fail: the same checker, run on a small assembly emitted here with one forbidden call (or
/// on a real assembly that legitimately breaks the rule), reports exactly that breach.
/// </summary>
public class RuleEvidenceTests
{
    static readonly Dictionary<string, (MethodBase Call, string Reported)> Breaches = new()
    {
        ["DateTime.Now"] = (typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!, "member System.DateTime::get_Now"),
        ["DateTime.UtcNow"] = (typeof(DateTime).GetProperty(nameof(DateTime.UtcNow))!.GetMethod!, "member System.DateTime::get_UtcNow"),
        ["DateTime.Today"] = (typeof(DateTime).GetProperty(nameof(DateTime.Today))!.GetMethod!, "member System.DateTime::get_Today"),
        ["DateTimeOffset.Now"] = (typeof(DateTimeOffset).GetProperty(nameof(DateTimeOffset.Now))!.GetMethod!, "member System.DateTimeOffset::get_Now"),
        ["DateTimeOffset.UtcNow"] = (typeof(DateTimeOffset).GetProperty(nameof(DateTimeOffset.UtcNow))!.GetMethod!, "member System.DateTimeOffset::get_UtcNow"),
        ["TimeProvider.System"] = (typeof(TimeProvider).GetProperty(nameof(TimeProvider.System))!.GetMethod!, "type System.TimeProvider"),
        ["Stopwatch"] = (typeof(Stopwatch).GetMethod(nameof(Stopwatch.StartNew))!, "type System.Diagnostics.Stopwatch"),
        ["Random"] = (typeof(Random).GetConstructor(Type.EmptyTypes)!, "type System.Random"),
        ["RandomNumberGenerator"] = (typeof(RandomNumberGenerator).GetMethod(nameof(RandomNumberGenerator.GetInt32), [typeof(int)])!,
            "type System.Security.Cryptography.RandomNumberGenerator"),
        ["Guid.NewGuid"] = (typeof(Guid).GetMethod(nameof(Guid.NewGuid))!, "member System.Guid::NewGuid"),
        ["Thread.Sleep"] = (typeof(Thread).GetMethod(nameof(Thread.Sleep), [typeof(int)])!, "type System.Threading.Thread"),
        ["Task.Delay"] = (typeof(Task).GetMethod(nameof(Task.Delay), [typeof(int)])!, "member System.Threading.Tasks.Task::Delay"),
        ["File"] = (typeof(File).GetMethod(nameof(File.ReadAllText), [typeof(string)])!, "type System.IO.File"),
        ["HttpClient"] = (typeof(HttpClient).GetConstructor(Type.EmptyTypes)!, "type System.Net.Http.HttpClient"),
        ["Console"] = (typeof(Console).GetMethod(nameof(Console.WriteLine), [typeof(string)])!, "type System.Console"),
        ["Environment"] = (typeof(Environment).GetMethod(nameof(Environment.GetEnvironmentVariable), [typeof(string)])!, "type System.Environment"),
        ["Process"] = (typeof(Process).GetMethod(nameof(Process.Start), [typeof(string)])!, "type System.Diagnostics.Process"),
        ["a package (Dapper)"] = (typeof(Dapper.SqlMapper).GetMethod(nameof(Dapper.SqlMapper.ResetTypeHandlers))!, "package Dapper"),
    };

    public static TheoryData<string> BreachNames => new(Breaches.Keys);

    [Theory]
    [MemberData(nameof(BreachNames))]
    public void EngineRule_AnAssemblyThatCallsIt_IsReported(string breach)
    {
        var (call, reported) = Breaches[breach];
        Assert.Contains(reported, AssemblyRules.EngineViolations(Emit(call)));
    }

    [Fact] // The emitted assemblies are otherwise clean: pure calls report nothing, so each breach above is the call's own.
    public void EngineRule_APureAssembly_ReportsNothing() =>
        Assert.Empty(AssemblyRules.EngineViolations(Emit(typeof(Math).GetMethod(nameof(Math.Max), [typeof(long), typeof(long)])!,
            typeof(DateTimeOffset).GetMethod(nameof(DateTimeOffset.FromUnixTimeMilliseconds))!,
            // What every C# iterator's GetEnumerator asks: allowed, while any other use of Environment is not.
            typeof(Environment).GetProperty(nameof(Environment.CurrentManagedThreadId))!.GetMethod!)));

    [Fact]
    public void EngineRule_EnvironmentBesidesTheThreadId_IsReported() =>
        Assert.Contains("type System.Environment", AssemblyRules.EngineViolations(Emit(
            typeof(Environment).GetProperty(nameof(Environment.CurrentManagedThreadId))!.GetMethod!,
            typeof(Environment).GetProperty(nameof(Environment.ProcessorCount))!.GetMethod!)));

    [Fact] // The API uses ASP.NET Core and every database client: the rule Devices and Payments pass sees them all.
    public void WebOrDatabaseRule_TheApi_IsReported()
    {
        var reported = AssemblyRules.WebOrDatabaseViolations(AssemblyRules.Image(typeof(Program)));
        foreach (var family in new[] { "assembly Microsoft.AspNetCore", "assembly Dapper", "assembly Npgsql", "assembly Microsoft.Data.Sqlite", "assembly System.Data.Common" })
            Assert.Contains(reported, r => r.StartsWith(family, StringComparison.Ordinal));
    }

    [Fact] // The tests reference the fakes, and the fakes define them: the rule the API passes sees both.
    public void FakeRule_TheTestsAndTheFakes_AreReported()
    {
        Assert.Contains("assembly Prepaid.Fakes", AssemblyRules.FakeViolations(AssemblyRules.Image(typeof(RuleEvidenceTests))));
        Assert.Contains("defines Prepaid.Fakes.Payments.FakeAlipayGateway", AssemblyRules.FakeViolations(AssemblyRules.Image(typeof(FakePlatforms))));
    }

    // A one-method assembly whose IL calls each of the given methods (never run: only its metadata is read).
    static byte[] Emit(params MethodBase[] calls)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("RuleBreaker"), typeof(object).Assembly);
        var type = assembly.DefineDynamicModule("RuleBreaker").DefineType("RuleBreaker.Breach", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var il = type.DefineMethod("Run", MethodAttributes.Public | MethodAttributes.Static, typeof(void), Type.EmptyTypes).GetILGenerator();
        foreach (var call in calls)
        {
            if (call is ConstructorInfo constructor) il.Emit(OpCodes.Newobj, constructor);
            else il.Emit(OpCodes.Call, (MethodInfo)call);
        }
        il.Emit(OpCodes.Ret);
        type.CreateType();
        using var image = new MemoryStream();
        assembly.Save(image);
        return image.ToArray();
    }
}
