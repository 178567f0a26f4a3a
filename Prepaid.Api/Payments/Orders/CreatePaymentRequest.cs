using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Payments.Channels;
using Prepaid.Api.TopUps;

namespace Prepaid.Api.Payments.Orders;

/// <summary>
/// A tenant's (or cashier's) wish to pay: amount, channel and the way the phone pays. JSAPI needs the payer's openid
/// within the app; wap may name the page Alipay returns to.
/// </summary>
public sealed record CreatePaymentRequest(
    [property: Description(Limits.AmountDoc), RegularExpression(Limits.PositiveAmountPattern)] string? Amount,
    [property: Description("alipay or wechat."), RegularExpression("^(alipay|wechat)$")] string? Channel,
    [property: Description("alipay: qr, wap or app; wechat: native, jsapi or h5."), RegularExpression("^(qr|wap|app|native|jsapi|h5)$")] string? Method,
    [property: MaxLength(CreatePaymentRequest.OpenIdMax), Description("jsapi: the payer's openid.")] string? OpenId,
    [property: MaxLength(Limits.Url), Description("wap: an absolute http(s) URL to return to.")] string? ReturnUrl)
{
    public const int OpenIdMax = 128;
}

public sealed class CreatePaymentValidator : AbstractValidator<CreatePaymentRequest>
{
    public CreatePaymentValidator()
    {
        RuleFor(r => r.Amount).NotEmpty()
            .Must(a => Engine.Money.TryParse(a, out var m) && m.Fen > 0 && m <= TopUpValidator.Max)
            .WithMessage("Must be a positive amount with at most two decimals, up to 1000000.00, e.g. \"100.00\".");
        RuleFor(r => r.Channel).Must(c => PaymentChannels.Names.Contains(c)).WithMessage("Must be alipay or wechat.");
        RuleFor(r => r.Method).Must((r, m) => PaymentChannels.MethodsOf(r.Channel).Contains(m))
            .WithMessage(r => $"Must be one of {string.Join(", ", PaymentChannels.MethodsOf(r.Channel).DefaultIfEmpty("qr, wap, app (alipay) or native, jsapi, h5 (wechat)"))}.");
        RuleFor(r => r.OpenId).NotEmpty().When(r => r.Method == "jsapi").WithMessage("JSAPI payment needs the payer's openid.");
        RuleFor(r => r.OpenId).MaximumLength(CreatePaymentRequest.OpenIdMax);
        RuleFor(r => r.ReturnUrl).Cascade(CascadeMode.Stop).MaximumLength(Limits.Url)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            .When(r => r.ReturnUrl is not null).WithMessage("Must be an absolute http(s) URL of at most 2000 characters.");
    }
}
