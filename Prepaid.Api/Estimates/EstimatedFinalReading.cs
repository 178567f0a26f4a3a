using System.Data.Common;
using Prepaid.Api.Tenancy;
using Prepaid.Engine;

namespace Prepaid.Api.Estimates;

/// <summary>R30's estimate for a move-out without a final reading (R26): the meter's registers at the instant.</summary>
public sealed class EstimatedFinalReading : IReadingEstimator
{
    public Task<Registers?> EstimateAsync(DbConnection connection, DbTransaction tx, long meterId, DateTimeOffset at, CancellationToken ct) =>
        Estimates.RegistersAtAsync(connection, tx, meterId, at);
}
