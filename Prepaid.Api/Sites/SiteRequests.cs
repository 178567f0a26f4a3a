using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Sites;

public sealed record FriendlyCutoffDto(
    [property: Description("HH:mm, site-local; comes with nightTo."), RegularExpression(Limits.TimePattern)] string? NightFrom,
    [property: Description("HH:mm, site-local; comes with nightFrom."), RegularExpression(Limits.TimePattern)] string? NightTo,
    bool Weekends,
    [property: MaxLength(Limits.Holidays), Description("Site-local dates yyyy-MM-dd, 2000-01-01 … 2099-12-31.")] List<string>? Holidays);

public sealed record CreateSiteRequest(
    [property: MaxLength(Limits.Name)] string? Name,
    [property: MaxLength(Limits.TimeZone), Description("An IANA time zone, e.g. Asia/Shanghai."), RegularExpression(@"^[A-Za-z0-9_+\-/]+$")] string? TimeZone,
    FriendlyCutoffDto? FriendlyCutoff, bool AllowAboveCap = false);

public sealed class CreateSiteValidator : AbstractValidator<CreateSiteRequest>
{
    public CreateSiteValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(r => r.TimeZone).Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(Limits.TimeZone)
            .Must(z => TimeZoneInfo.TryFindSystemTimeZoneById(z!, out _)).WithMessage("Must be an IANA time zone such as Asia/Shanghai.");
        When(r => r.FriendlyCutoff is not null, () =>
        {
            RuleFor(r => r.FriendlyCutoff!.NightFrom).Must(BeTime).When(r => r.FriendlyCutoff!.NightFrom is not null).WithMessage("Must be HH:mm.");
            RuleFor(r => r.FriendlyCutoff!.NightTo).Must(BeTime).When(r => r.FriendlyCutoff!.NightTo is not null).WithMessage("Must be HH:mm.");
            // The one that is missing is named.
            RuleFor(r => r.FriendlyCutoff!.NightFrom).NotNull().When(r => r.FriendlyCutoff!.NightTo is not null)
                .WithMessage("nightFrom and nightTo come together.");
            RuleFor(r => r.FriendlyCutoff!.NightTo).NotNull().When(r => r.FriendlyCutoff!.NightFrom is not null)
                .WithMessage("nightFrom and nightTo come together.");
            RuleFor(r => r.FriendlyCutoff!.Holidays).Must(h => h!.Count <= Limits.Holidays).When(r => r.FriendlyCutoff!.Holidays is not null)
                .WithMessage($"At most {Limits.Holidays} holidays.");
            RuleForEach(r => r.FriendlyCutoff!.Holidays)
                .Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", out var day) && Limits.InRange(day)).WithMessage("Must be yyyy-MM-dd, 2000-01-01 … 2099-12-31.");
        });
    }

    static bool BeTime(string? t) => TimeOnly.TryParseExact(t, "HH:mm", out _);
}

public sealed record CreateRoomRequest(
    [property: MaxLength(Limits.Code)] string? Code,
    [property: MaxLength(Limits.Name)] string? Name,
    [property: Description("Floor area in m² as a string, 0 … 999999.9999, at most 4 decimals."), RegularExpression(@"^\d{1,6}(\.\d{1,4})?$")] string? AreaM2);

public sealed class CreateRoomValidator : AbstractValidator<CreateRoomRequest>
{
    public CreateRoomValidator()
    {
        RuleFor(r => r.Code).NotEmpty().MaximumLength(Limits.Code);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(r => r.AreaM2).NotEmpty()
            .Must(a => ApiFormat.TryDecimal(a, out var v) && v >= 0 && v < Limits.AreaMaxM2 && decimal.Round(v, 4) == v)
            .WithMessage("Must be a non-negative area in m² below 1000000 with at most 4 decimals.");
    }
}
