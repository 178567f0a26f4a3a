namespace Prepaid.Api.Meters;

/// <summary>
/// What a meter measures. A heat meter (utility heat, kind meter) counts energy like any meter; a heat cost allocator
/// (utility heat, kind allocator) counts units that only R34's allocation uses, so ingest never prices them.
/// </summary>
public static class MeterKinds
{
    public const string Meter = "meter";
    public const string Allocator = "allocator";
}
