using System.Data.Common;
using Dapper;

namespace Prepaid.Api.HeatAllocations;

/// <summary>A building's R34 settings as stored: Ur and the correction factor k, canonical decimal text.</summary>
public sealed record HeatSettings(string Ur, string CorrectionFactor)
{
    public static Task<HeatSettings?> LoadAsync(DbConnection connection, DbTransaction? tx, long siteId) =>
        connection.QuerySingleOrDefaultAsync<HeatSettings?>(
            "SELECT ur, correction_factor FROM heat_settings WHERE site_id = @siteId", new { siteId }, tx);
}
