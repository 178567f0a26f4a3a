using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Engine;

namespace Prepaid.Api.Charges;

/// <summary>An agreement as stored, with what posting needs of its account and site.</summary>
public sealed record ChargeAgreement(long Id, long AccountId, string Kind, string Name, long AmountFen, string Period, long DueDay, string FromDay,
    string? ToDay, long Trips, string? ChargedToDay, long CreatedAtMs, long? EndedAtMs, long SiteId, string TimeZone, string? IdempotencyKey, string? RequestHash)
{
    public const string Select = """
        SELECT g.id, g.account_id, g.kind, g.name, g.amount_fen, g.period, g.due_day, g.from_day, g.to_day, g.trips, g.charged_to_day,
               g.created_at_ms, g.ended_at_ms, a.site_id, s.time_zone, g.idempotency_key, g.request_hash
        FROM charge_agreements g JOIN accounts a ON a.id = g.account_id JOIN sites s ON s.id = a.site_id
        """;

    public ChargeTerms Terms => new(new Money(AmountFen), PeriodKind(Period), (int)DueDay, ChargeDays.Parse(FromDay),
        ToDay is null ? null : ChargeDays.Parse(ToDay), ByMonths: Kind == "readingFee");

    public TimeZoneInfo Zone => ApiFormat.Zone(TimeZone);

    public static ChargePeriodKind PeriodKind(string period) => period switch
    {
        "month" => ChargePeriodKind.Month,
        "quarter" => ChargePeriodKind.Quarter,
        _ => ChargePeriodKind.Year,
    };

    public static Task<ChargeAgreement?> FindAsync(DbConnection connection, DbTransaction? tx, long id) =>
        connection.QuerySingleOrDefaultAsync<ChargeAgreement>(Select + " WHERE g.id = @id", new { id }, tx);

    public object Shape() => new
    {
        id = Id, accountId = AccountId, kind = Kind, name = Name, amount = ApiFormat.Amount(AmountFen), period = Period, dueDay = DueDay,
        from = FromDay, to = ToDay, tripsOnArrears = Trips == 1, chargedTo = ChargedToDay,
        createdAt = ApiFormat.Instant(CreatedAtMs, Zone), endedAt = EndedAtMs is { } e ? ApiFormat.Instant(e, Zone) : null,
        state = EndedAtMs is null ? "active" : "ended",
    };
}

/// <summary>A posted charge (or the correction of one) as the API shows it.</summary>
public sealed record PostedCharge(long Id, long AgreementId, long AccountId, string Name, string Kind, string PeriodKey, string PeriodStart, long Days,
    long PeriodDays, long AmountFen, string TransferKey, long AtMs, string TimeZone)
{
    public const string Select = """
        SELECT c.id, c.agreement_id, c.account_id, g.name, g.kind, c.period_key, c.period_start, c.days, c.period_days, c.amount_fen, c.transfer_key,
               c.at_ms, s.time_zone
        FROM charges c JOIN charge_agreements g ON g.id = c.agreement_id JOIN accounts a ON a.id = c.account_id JOIN sites s ON s.id = a.site_id
        """;

    public object Shape() => new
    {
        id = Id, agreementId = AgreementId, accountId = AccountId, name = Name, kind = Kind, period = PeriodKey, days = Days, periodDays = PeriodDays,
        amount = ApiFormat.Amount(AmountFen), at = ApiFormat.Instant(AtMs, ApiFormat.Zone(TimeZone)), key = TransferKey,
    };
}
