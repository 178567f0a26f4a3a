using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Payments.Refunds;

/// <summary>Refund part or all of a paid order's money from the wallet back to the payer, through the order's channel.</summary>
public sealed record RefundRequest(
    [property: MaxLength(Limits.Code)] string? OutTradeNo,
    [property: Description(Limits.AmountDoc), RegularExpression(Limits.PositiveAmountPattern)] string? Amount,
    [property: MaxLength(RefundRequest.ReasonMax)] string? Reason,
    [property: MaxLength(Limits.Key), Description("Printable ASCII without spaces; or the Idempotency-Key header.")] string? IdempotencyKey)
{
    public const int ReasonMax = 80;
}

public sealed class RefundValidator : AbstractValidator<RefundRequest>
{
    public RefundValidator()
    {
        RuleFor(r => r.OutTradeNo).NotEmpty().MaximumLength(Limits.Code);
        RuleFor(r => r.Amount).NotEmpty()
            .Must(a => Limits.IsAmount(a, minFen: 1))
            .WithMessage("Must be a positive amount with at most two decimals, up to 1000000.00, e.g. \"20.00\".");
        RuleFor(r => r.Reason).MaximumLength(RefundRequest.ReasonMax);
        RuleFor(r => r.IdempotencyKey).MaximumLength(Limits.Key).Matches("^[\\x21-\\x7E]+$").When(r => r.IdempotencyKey is not null)
            .WithMessage(IdempotencyKey.Rule);
    }
}
