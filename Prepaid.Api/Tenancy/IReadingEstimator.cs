using System.Data.Common;
using Prepaid.Engine;

namespace Prepaid.Api.Tenancy;

/// <summary>
/// R30's estimate of a meter's registers at an instant, for a move-out whose final reading was neither taken nor entered
/// (R26). Registered by the estimates feature; without one, such a move-out is refused naming <c>finalReadings</c>.
/// Null: no estimate can be made (fewer than 7 days with readings in the last 30).
/// </summary>
public interface IReadingEstimator
{
    Task<Registers?> EstimateAsync(DbConnection connection, DbTransaction tx, long meterId, DateTimeOffset at, CancellationToken ct);
}
