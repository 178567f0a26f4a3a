namespace Prepaid.Api.Data;

/// <summary>
/// How much memory a SQLite connection may use for pages, from the memory the process may use.
/// An ingest batch touches, in every index keyed by meter or account, the last page of each meter's or account's
/// entries: 10,000 meters make about 40 MiB per such index. The cache must hold those pages or every batch reads them
/// from disk again, which is why ingest fell behind once history outgrew a 64 MiB cache. The memory map lets reads
/// share the operating system's page cache instead of copying pages into each connection's own.
/// </summary>
public static class SqlitePages
{
    static readonly long Available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Page cache per connection, KiB: 1/64 of the memory, between 64 MiB and 512 MiB (pages are allocated as used).</summary>
    public static long CacheKib { get; } = Math.Clamp(Available / 64 / 1024, 64 * 1024, 512 * 1024);

    /// <summary>Memory map per database file, bytes: 1/8 of the memory, between 256 MiB and 4 GiB (address space, not memory).</summary>
    public static long MmapBytes { get; } = Math.Clamp(Available / 8, 256L << 20, 4L << 30);
}
