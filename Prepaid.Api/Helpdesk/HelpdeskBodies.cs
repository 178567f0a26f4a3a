using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;

namespace Prepaid.Api.Helpdesk;

/// <summary>A tenant's new request, sent as JSON by the phone page (the photo read into base64 by the browser).</summary>
public sealed record FileRequestBody(
    [property: Description("supplyOutage, meterFault, billingQuestion, leak or other."), RegularExpression(HelpdeskRules.CategoryPattern)] string? Category,
    [property: Description("What happened, 1 … 2000 characters."), MaxLength(HelpdeskRules.TextMax)] string? Text,
    [property: Description("One of the tenant's own accounts; its site is the request's. Optional.")] long? AccountId,
    [property: Description("The site, when no account is named; needed only when the tenant has accounts at several sites.")] long? SiteId,
    [property: Description("Optional photo: a JPEG, PNG or WebP of at most 5 MB as base64 or a data: URL; its type is judged by its bytes."),
               MaxLength(HelpdeskRules.PhotoMaxChars)] string? Photo);

public sealed class FileRequestValidator : AbstractValidator<FileRequestBody>
{
    public FileRequestValidator()
    {
        RuleFor(r => r.Category).Must(c => HelpdeskRules.Categories.Contains(c)).WithMessage(HelpdeskRules.CategoryRule);
        RuleFor(r => r.Text).Must(HelpdeskRules.IsText).WithMessage(HelpdeskRules.TextRule);
        RuleFor(r => r.AccountId).GreaterThan(0).When(r => r.AccountId is not null).WithMessage("Must be an account id.");
        RuleFor(r => r.SiteId).GreaterThan(0).When(r => r.SiteId is not null).WithMessage("Must be a site id.");
    }
}

/// <summary>A comment on a request; staff may keep it internal (never shown to the tenant).</summary>
public sealed record CommentBody(
    [property: Description("1 … 2000 characters."), MaxLength(HelpdeskRules.TextMax)] string? Text,
    [property: Description("Staff only: true keeps the comment from the tenant. Default false.")] bool? Internal);

/// <summary>A tenant's comment: always seen by staff and by the tenant.</summary>
public sealed record TenantCommentBody([property: Description("1 … 2000 characters."), MaxLength(HelpdeskRules.TextMax)] string? Text);

public sealed class CommentValidator : AbstractValidator<CommentBody>
{
    public CommentValidator() => RuleFor(r => r.Text).Must(HelpdeskRules.IsText).WithMessage(HelpdeskRules.TextRule);
}

public sealed class TenantCommentValidator : AbstractValidator<TenantCommentBody>
{
    public TenantCommentValidator() => RuleFor(r => r.Text).Must(HelpdeskRules.IsText).WithMessage(HelpdeskRules.TextRule);
}

/// <summary>Who works on a request: an enabled admin, or an operator of the request's site.</summary>
public sealed record AssignBody([property: Description("The user id of an enabled admin or of an operator of the request's site.")] long? UserId);

public sealed class AssignValidator : AbstractValidator<AssignBody>
{
    public AssignValidator() => RuleFor(r => r.UserId).NotNull().GreaterThan(0).WithMessage("Must be a user id.");
}

/// <summary>Closing or reopening: an optional note, posted as a comment the tenant sees.</summary>
public sealed record NoteBody([property: Description("Optional, 1 … 2000 characters: shown to the tenant as a reply."), MaxLength(HelpdeskRules.TextMax)] string? Note);

public sealed class NoteValidator : AbstractValidator<NoteBody>
{
    public NoteValidator() => RuleFor(r => r.Note).Must(HelpdeskRules.IsText).When(r => r.Note is not null).WithMessage(HelpdeskRules.TextRule);
}
