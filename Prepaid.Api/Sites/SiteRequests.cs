using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Sites;

public sealed record FriendlyCutoffDto(string? NightFrom, string? NightTo, bool Weekends, List<string>? Holidays);

public sealed record CreateSiteRequest(string? Name, string? TimeZone, FriendlyCutoffDto? FriendlyCutoff, bool AllowAboveCap = false);

public sealed class CreateSiteValidator : AbstractValidator<CreateSiteRequest>
{
    public CreateSiteValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.TimeZone).NotEmpty()
            .Must(z => TimeZoneInfo.TryFindSystemTimeZoneById(z!, out _)).WithMessage("Must be an IANA time zone such as Asia/Shanghai.");
        When(r => r.FriendlyCutoff is not null, () =>
        {
            RuleFor(r => r.FriendlyCutoff!.NightFrom).Must(BeTime).When(r => r.FriendlyCutoff!.NightFrom is not null).WithMessage("Must be HH:mm.");
            RuleFor(r => r.FriendlyCutoff!.NightTo).Must(BeTime).When(r => r.FriendlyCutoff!.NightTo is not null).WithMessage("Must be HH:mm.");
            RuleFor(r => r.FriendlyCutoff!).Must(f => (f.NightFrom is null) == (f.NightTo is null))
                .WithName("friendlyCutoff.nightTo").WithMessage("nightFrom and nightTo come together.");
            RuleForEach(r => r.FriendlyCutoff!.Holidays).Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", out _)).WithMessage("Must be yyyy-MM-dd.");
        });
    }

    static bool BeTime(string? t) => TimeOnly.TryParseExact(t, "HH:mm", out _);
}

public sealed record CreateRoomRequest(string? Code, string? Name, string? AreaM2);

public sealed class CreateRoomValidator : AbstractValidator<CreateRoomRequest>
{
    public CreateRoomValidator()
    {
        RuleFor(r => r.Code).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.AreaM2).NotEmpty()
            .Must(a => ApiFormat.TryDecimal(a, out var v) && v >= 0 && v < 1_000_000 && decimal.Round(v, 4) == v)
            .WithMessage("Must be a non-negative area in m² with at most 4 decimals.");
    }
}
