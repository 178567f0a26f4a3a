using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Prepaid.Tests.Architecture;

/// <summary>
/// The architecture's rules, read from an assembly's metadata as the IL uses it: every assembly it references, every
/// type (<c>System.IO.File</c>) and member (<c>System.DateTime::get_Now</c>) of another assembly it refers to, every type
/// it defines. Each rule answers what breaks it, so a test can show the rule reporting a breach as well as passing.
/// </summary>
public static class AssemblyRules
{
    /// <summary>Engine: no I/O, network, console, environment, process, clock or randomness, whole types.</summary>
    public static readonly string[] EngineDeniedTypes =
    [
        "System.IO.", "System.Net.", "System.Console", "System.Environment", "System.Diagnostics.Process", "System.Diagnostics.Stopwatch",
        "System.Random", "System.Security.Cryptography.RandomNumberGenerator", "System.TimeProvider", "System.Threading.Timer",
        "System.Threading.PeriodicTimer", "System.Threading.Thread",
    ];

    /// <summary>Engine: the clock, random ids and waiting on types that are otherwise fine.</summary>
    public static readonly string[] EngineDeniedMembers =
    [
        "System.DateTime::get_Now", "System.DateTime::get_UtcNow", "System.DateTime::get_Today",
        "System.DateTimeOffset::get_Now", "System.DateTimeOffset::get_UtcNow",
        "System.Guid::NewGuid", "System.Guid::CreateVersion7", "System.Threading.Tasks.Task::Delay",
    ];

    /// <summary>
    /// Members of denied types the compiler itself emits and that read no environment: C# iterators and async state
    /// machines ask for the current managed thread's id.
    /// </summary>
    public static readonly string[] EngineAllowedMembers = ["System.Environment::get_CurrentManagedThreadId"];

    /// <summary>Devices and Payments: no web server and no database, by assembly and by namespace.</summary>
    public static readonly string[] WebOrDatabase =
        ["Microsoft.AspNetCore", "System.Data", "Microsoft.Data.", "Dapper", "Npgsql", "Microsoft.EntityFrameworkCore", "Prepaid.Api"];

    /// <summary>Breaches of the Engine's rules: packages (any assembly not in the shared framework), denied types and members.</summary>
    public static IReadOnlyList<string> EngineViolations(byte[] image)
    {
        var m = Read(image);
        // A denied type referenced only for allowed members (and so only by the compiler) is no breach.
        bool OnlyAllowed(string type)
        {
            var uses = m.Members.Where(u => u.StartsWith(type + "::", StringComparison.Ordinal)).ToList();
            return uses.Count > 0 && uses.All(EngineAllowedMembers.Contains);
        }
        return m.Assemblies.Where(a => !IsFramework(a)).Select(a => "package " + a)
            .Concat(m.Types.Where(t => EngineDeniedTypes.Any(d => Matches(t, d)) && !OnlyAllowed(t)).Select(t => "type " + t))
            .Concat(m.Members.Where(u => !EngineAllowedMembers.Contains(u) && (EngineDeniedMembers.Contains(u) || EngineDeniedTypes.Any(d => Matches(u, d))))
                .Select(u => "member " + u))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Breaches of "knows no ASP.NET Core and no database": referenced assemblies and types of those families.</summary>
    public static IReadOnlyList<string> WebOrDatabaseViolations(byte[] image)
    {
        var m = Read(image);
        return m.Assemblies.Where(a => WebOrDatabase.Any(d => a.StartsWith(d, StringComparison.Ordinal))).Select(a => "assembly " + a)
            .Concat(m.Types.Where(t => WebOrDatabase.Any(d => t.StartsWith(d, StringComparison.Ordinal))).Select(t => "type " + t))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Breaches of "the product carries no fake": a reference to the fakes, a use of their types, a type named Fake….</summary>
    public static IReadOnlyList<string> FakeViolations(byte[] image)
    {
        var m = Read(image);
        return m.Assemblies.Where(a => a.StartsWith("Prepaid.Fakes", StringComparison.Ordinal)).Select(a => "assembly " + a)
            .Concat(m.Types.Where(t => t.StartsWith("Prepaid.Fakes", StringComparison.Ordinal)).Select(t => "type " + t))
            .Concat(m.Defined.Where(t => t.Contains("Fake", StringComparison.Ordinal)).Select(t => "defines " + t))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public static byte[] Image(Type anchor) => File.ReadAllBytes(anchor.Assembly.Location);

    static bool Matches(string name, string denied) =>
        denied.EndsWith('.') ? name.StartsWith(denied, StringComparison.Ordinal)
            : name == denied || name.StartsWith(denied + "::", StringComparison.Ordinal) || name.StartsWith(denied + "+", StringComparison.Ordinal);

    static readonly string FrameworkDirectory = RuntimeEnvironment.GetRuntimeDirectory();

    static bool IsFramework(string assembly) =>
        assembly is "mscorlib" or "netstandard" || File.Exists(Path.Combine(FrameworkDirectory, assembly + ".dll"));

    sealed record Metadata(List<string> Assemblies, List<string> Types, List<string> Members, List<string> Defined);

    static Metadata Read(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        var md = pe.GetMetadataReader();
        var names = new TypeNames(md);
        var assemblies = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
        var types = md.TypeReferences.Select(h => names.Reference(h)).ToList();
        var members = new List<string>();
        foreach (var h in md.MemberReferences)
        {
            var member = md.GetMemberReference(h);
            var owner = member.Parent.Kind switch
            {
                HandleKind.TypeReference => names.Reference((TypeReferenceHandle)member.Parent),
                HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(names, null),
                _ => null,
            };
            if (owner is not null) members.Add($"{owner}::{md.GetString(member.Name)}");
        }
        var defined = md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
            .Select(t => Join(md.GetString(t.Namespace), md.GetString(t.Name))).ToList();
        return new Metadata(assemblies, types, members, defined);
    }

    static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

    // Just enough of a signature decoder to name the generic type a member of List<int> or Task<T> belongs to.
    sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
    {
        public string Reference(TypeReferenceHandle handle)
        {
            var t = md.GetTypeReference(handle);
            var name = md.GetString(t.Name);
            return t.ResolutionScope.Kind == HandleKind.TypeReference
                ? Reference((TypeReferenceHandle)t.ResolutionScope) + "+" + name
                : Join(md.GetString(t.Namespace), name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Reference(handle);
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var t = reader.GetTypeDefinition(handle);
            return Join(reader.GetString(t.Namespace), reader.GetString(t.Name));
        }
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[]";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "method*";
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
