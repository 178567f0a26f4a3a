using FluentValidation;

namespace Prepaid.Api.Payments.Refunds;

/// <summary>Refund part or all of a paid order's money from the wallet back to the payer, through the order's channel.</summary>
public sealed record RefundRequest(string? OutTradeNo, string? Amount, string? Reason, string? IdempotencyKey);

public sealed class RefundValidator : AbstractValidator<RefundRequest>
{
    public RefundValidator()
    {
        RuleFor(r => r.OutTradeNo).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Amount).NotEmpty()
            .Must(a => Engine.Money.TryParse(a, out var m) && m.Fen > 0)
            .WithMessage("Must be a positive amount with at most two decimals, e.g. \"20.00\".");
        RuleFor(r => r.Reason).MaximumLength(80);
        RuleFor(r => r.IdempotencyKey).MaximumLength(100).Matches("^[\\x21-\\x7E]+$").When(r => r.IdempotencyKey is not null)
            .WithMessage("Must be printable ASCII without spaces, at most 100 characters.");
    }
}
