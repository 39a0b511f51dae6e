namespace MfaReset.Okta.Sandbox.Org;

/// <summary>A password-policy rule a candidate can break.</summary>
internal enum PasswordRule
{
    MinimumLength,
    LowercaseRequired,
    UppercaseRequired,
    NumberRequired,
    NoPartsOfUsername,
    RecentlyUsed,

    /// <summary>Within the policy's <c>age.minAgeMinutes</c> of the last change (checked with <c>strict=true</c> only).</summary>
    MinimumAge,
}

/// <summary>
/// The sandbox org's password policy: at least 8 characters, a lowercase letter, an uppercase letter, a
/// number, no part of the username, and (for <c>strict=true</c> updates) none of the last 4 passwords.
/// </summary>
internal static class PasswordPolicy
{
    public const int MinimumLength = 8;

    public const int HistoryCount = 4;

    // Okta ignores username parts shorter than 4 characters and common top-level domains.
    private const int MinimumUsernamePartLength = 4;
    private static readonly HashSet<string> IgnoredParts = new(["com", "net", "org", "gov", "edu", "info"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The complexity rules <paramref name="password"/> breaks, in the order Okta lists them.</summary>
    public static List<PasswordRule> Check(string password, string login)
    {
        List<PasswordRule> broken = [];
        if (password.Length < MinimumLength)
        {
            broken.Add(PasswordRule.MinimumLength);
        }

        if (!password.Any(char.IsLower))
        {
            broken.Add(PasswordRule.LowercaseRequired);
        }

        if (!password.Any(char.IsUpper))
        {
            broken.Add(PasswordRule.UppercaseRequired);
        }

        if (!password.Any(char.IsDigit))
        {
            broken.Add(PasswordRule.NumberRequired);
        }

        if (UsernameParts(login).Any(part => password.Contains(part, StringComparison.OrdinalIgnoreCase)))
        {
            broken.Add(PasswordRule.NoPartsOfUsername);
        }

        return broken;
    }

    /// <summary>The login split at punctuation, as Okta's "no parts of your username" rule reads it.</summary>
    public static IEnumerable<string> UsernameParts(string login) =>
        login.Split(login.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.Length >= MinimumUsernamePartLength && !IgnoredParts.Contains(part));
}
