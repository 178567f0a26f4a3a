using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Ledger;

namespace Prepaid.Api.Deposits;

/// <summary>R29: a deposit taken at the counter. The idempotency key comes in the Idempotency-Key header or this body.</summary>
public sealed record DepositRequest(
    [property: Description(Limits.AmountDoc), RegularExpression(Limits.PositiveAmountPattern)] string? Amount,
    [property: Description("cash, card or bank."), RegularExpression("^(cash|card|bank)$")] string? Channel,
    [property: MaxLength(Limits.Key), Description("Printable ASCII without spaces; or the Idempotency-Key header.")] string? IdempotencyKey);

public sealed class DepositValidator : AbstractValidator<DepositRequest>
{
    public DepositValidator()
    {
        RuleFor(r => r.Amount).Must(a => Limits.IsAmount(a, minFen: 1))
            .WithMessage("Must be a positive amount with at most two decimals, up to 1000000.00, e.g. \"500.00\".");
        RuleFor(r => r.Channel).Must(c => SiteLedger.CounterChannels.Contains(c)).WithMessage("Must be cash, card or bank: a deposit is taken at the counter.");
        RuleFor(r => r.IdempotencyKey).MaximumLength(Limits.Key).Matches("^[\\x21-\\x7E]+$").When(r => r.IdempotencyKey is not null)
            .WithMessage(IdempotencyKey.Rule);
    }
}
