namespace Prepaid.Api.Auth;

/// <summary><c>Prepaid:SignIn:*</c>: how hard guessing passwords is made (README, configuration).</summary>
public sealed class SignInOptions
{
    public const string Section = "Prepaid:SignIn";

    /// <summary>Sign-in and password-change requests per client address per minute; more answer 429.</summary>
    public int PerAddressPerMinute { get; set; } = 30;

    /// <summary>Sign-in attempts per user name per minute, from anywhere; more answer 429.</summary>
    public int PerUserPerMinute { get; set; } = 10;

    /// <summary>Wrong passwords in a row (within <see cref="LockoutMinutes"/> of each other) that lock the user name.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>How long a locked user name answers 429, even to the right password.</summary>
    public int LockoutMinutes { get; set; } = 15;
}
