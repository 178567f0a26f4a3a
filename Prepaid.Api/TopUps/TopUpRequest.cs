using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Ledger;

namespace Prepaid.Api.TopUps;

/// <summary>A counter top-up (售电/售水). The idempotency key comes in the Idempotency-Key header or this body.</summary>
public sealed record TopUpRequest(
    [property: Description(Limits.AmountDoc), RegularExpression(Limits.PositiveAmountPattern)] string? Amount,
    [property: Description("cash, bank, alipay or wechat."), RegularExpression("^(cash|bank|alipay|wechat)$")] string? Channel,
    [property: MaxLength(Limits.Key), Description("Printable ASCII without spaces; or the Idempotency-Key header.")] string? IdempotencyKey);

public sealed class TopUpValidator : AbstractValidator<TopUpRequest>
{
    public static readonly Engine.Money Max = Limits.MaxAmount; // a typo guard, not a business limit

    public TopUpValidator()
    {
        RuleFor(r => r.Amount).NotEmpty()
            .Must(a => Engine.Money.TryParse(a, out var m) && m.Fen > 0 && m <= Max)
            .WithMessage("Must be a positive amount with at most two decimals, up to 1000000.00, e.g. \"100.00\".");
        RuleFor(r => r.Channel).Must(c => SiteLedger.CounterChannels.Contains(c))
            .WithMessage("Must be cash, card or bank; Alipay and WeChat Pay money arrives by the tenant's own payment, never at the counter.");
        RuleFor(r => r.IdempotencyKey).MaximumLength(Limits.Key).Matches("^[\\x21-\\x7E]+$").When(r => r.IdempotencyKey is not null)
            .WithMessage(IdempotencyKey.Rule);
    }
}
