namespace MfaReset.Okta.Wire;

/// <summary>
/// What a value from Okta must look like before the portal acts on it. Okta is an outside system: a
/// value out of these bounds (an id of <c>..</c>, a login with control characters, a date in year 9999)
/// makes the whole answer unreadable, so the caller gets an Okta error result rather than an exception
/// further on.
/// </summary>
internal static class WireLimits
{
    public const int MaxIdLength = 100;
    public const int MaxLoginLength = 256;
    public const int MaxNameLength = 64;
    public const int MaxPhoneLength = 32;

    /// <summary>Number matching shows a number of at most two or three digits.</summary>
    public const int MaxCorrectAnswer = 999;

    /// <summary>Instants Okta can mean: anything outside is a broken answer, and would overflow date arithmetic.</summary>
    /// <summary>The largest count a password policy setting may hold (length, classes, history).</summary>
    public const int MaxPolicyCount = 256;

    /// <summary>The longest minimum password age read (<c>age.minAgeMinutes</c>): a year. Beyond it the policy is not Okta's.</summary>
    public const int MaxMinAgeMinutes = 366 * 24 * 60;

    public static readonly DateTimeOffset EarliestInstant = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LatestInstant = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Okta ids are letters, digits, '-', '_' and '.', starting with a letter or digit (so never "." or "..").</summary>
    public static bool IsId(string value) =>
        value.Length is > 0 and <= MaxIdLength
        && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Non-empty, bounded, no control characters, no unpaired surrogates.</summary>
    public static bool IsText(string value, int maxLength) =>
        value.Length is > 0 && value.Length <= maxLength && !value.Any(char.IsControl) && !HasUnpairedSurrogate(value);

    public static bool IsOptionalText(string? value, int maxLength) => value is null || value.Length == 0 || IsText(value, maxLength);

    public static bool IsOptionalInstant(DateTimeOffset? value) => value is null || (value >= EarliestInstant && value < LatestInstant);

    private static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
