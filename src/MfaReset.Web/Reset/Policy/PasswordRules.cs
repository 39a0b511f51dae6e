using System.Globalization;
using System.Text.RegularExpressions;

namespace MfaReset.Web.Reset.Policy;

/// <summary>
/// The password page's two readings of the org's policy: which configured rules a browser can check as
/// the person types (the rest are checked by Okta on submit), and Okta's <c>errorCauses</c> turned into
/// plain sentences. Okta's own texts ("Password requirements: at least 0 characters, an uppercase
/// letter.") are never shown.
/// </summary>
public static partial class PasswordRules
{
    /// <summary>Said when a cause names nothing this portal recognizes.</summary>
    public const string Generic = "Choose a password that meets your organization's password policy.";

    /// <summary>The checks a browser can make for a configured rule's text, space-separated (<c>length:12 lower upper digit symbol personal</c>); empty when none.</summary>
    public static string ChecksOf(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        List<string> checks = [];
        if (MinimumLength().Match(rule) is { Success: true } length)
        {
            checks.Add("length:" + length.Groups["n"].Value);
        }

        if (rule.Contains("lowercase", StringComparison.OrdinalIgnoreCase))
        {
            checks.Add("lower");
        }

        if (rule.Contains("uppercase", StringComparison.OrdinalIgnoreCase))
        {
            checks.Add("upper");
        }

        if (Word("number").IsMatch(rule) || Word("digit").IsMatch(rule))
        {
            checks.Add("digit");
        }

        if (Word("symbol").IsMatch(rule))
        {
            checks.Add("symbol");
        }

        if (rule.Contains("username", StringComparison.OrdinalIgnoreCase))
        {
            checks.Add("personal");
        }

        return string.Join(' ', checks);
    }

    /// <summary>
    /// Whether <paramref name="password"/> passes every check of <see cref="ChecksOf"/> for <paramref name="rule"/>
    /// (true when there are none), exactly as the page's script marks the line: lengths in UTF-16 units, letters
    /// and digits in ASCII, a symbol anything else, and none of <paramref name="personalWords"/> (lowercase) in
    /// the lowercased password. The server refuses what the checklist shows unmet, and nothing more.
    /// </summary>
    public static bool IsMet(string rule, string password, IReadOnlyCollection<string> personalWords)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(personalWords);
        var lower = password.ToLowerInvariant();
        return ChecksOf(rule).Split(' ', StringSplitOptions.RemoveEmptyEntries).All(check => check switch
        {
            "lower" => password.Any(char.IsAsciiLetterLower),
            "upper" => password.Any(char.IsAsciiLetterUpper),
            "digit" => password.Any(char.IsAsciiDigit),
            "symbol" => password.Any(c => !char.IsAsciiLetterOrDigit(c)),
            "personal" => !personalWords.Any(word => lower.Contains(word, StringComparison.Ordinal)),
            _ => password.Length >= int.Parse(check["length:".Length..], CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// A checklist line (configured, or written from the org's policy in English, "be at least 10 characters
    /// long") in the person's language: lines with a number are matched by their shape, the rest are keys.
    /// </summary>
    public static string Show(IStringLocalizer text, string rule)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var (shape, key) in NumberedRules)
        {
            if (shape.Match(rule) is { Success: true } match)
            {
                return text[key, match.Groups["n"].Value];
            }
        }

        return text[rule];
    }

    private static readonly (Regex Shape, string Key)[] NumberedRules =
    [
        (Shape("be at least (?<n>\\d+) characters long"), "be at least {0} characters long"),
        (Shape("include at least (?<n>\\d+) lowercase letters"), "include at least {0} lowercase letters"),
        (Shape("include at least (?<n>\\d+) uppercase letters"), "include at least {0} uppercase letters"),
        (Shape("include at least (?<n>\\d+) numbers"), "include at least {0} numbers"),
        (Shape("include at least (?<n>\\d+) symbols"), "include at least {0} symbols"),
        (Shape("not be one of your last (?<n>\\d+) passwords"), "not be one of your last {0} passwords"),
    ];

    private static Regex Shape(string pattern) => new($"^{pattern}$", RegexOptions.CultureInvariant);

    /// <summary>Plain sentences for Okta's cause texts, each once, in a stable order; in the person's language with <paramref name="text"/>, else in English.</summary>
    public static IReadOnlyList<string> Explain(IEnumerable<string> causes, IStringLocalizer? text = null)
    {
        ArgumentNullException.ThrowIfNull(causes);
        var sentences = new List<string>();
        foreach (var cause in causes)
        {
            var found = Requirements(cause).ToList();
            sentences.AddRange(found.Count > 0 ? found.Select(s => Say(text, s.Text, s.Number)) : [Say(text, Generic, null)]);
        }

        return [.. sentences.Distinct(StringComparer.Ordinal)];
    }

    private static string Say(IStringLocalizer? text, string sentence, string? number) => (text, number) switch
    {
        (null, null) => sentence,
        (null, { } n) => string.Format(CultureInfo.InvariantCulture, sentence, n),
        (_, null) => text[sentence],
        (_, { } n) => text[sentence, n],
    };

    // Each requirement as a resource key, with the number it names, if any.
    private static IEnumerable<(string Text, string? Number)> Requirements(string cause)
    {
        if (MinimumLength().Match(cause) is { Success: true } length && int.Parse(length.Groups["n"].Value, CultureInfo.InvariantCulture) > 0)
        {
            yield return ("Use at least {0} characters.", length.Groups["n"].Value);
        }

        if (cause.Contains("lowercase", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("Include a lowercase letter.", null);
        }

        if (cause.Contains("uppercase", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("Include an uppercase letter.", null);
        }

        if (Word("number").IsMatch(cause))
        {
            yield return ("Include a number.", null);
        }

        if (Word("symbol").IsMatch(cause))
        {
            yield return ("Include a symbol, such as ! or #.", null);
        }

        if (cause.Contains("username", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("Don't use any part of your username.", null);
        }

        if (cause.Contains("first name", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("Don't include your first name.", null);
        }

        if (cause.Contains("last name", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("Don't include your last name.", null);
        }

        if (LastPasswords().Match(cause) is { Success: true } history)
        {
            yield return ("Choose a password you haven't used before: it can't be one of your last {0}.", history.Groups["n"].Value);
        }
        else if (cause.Contains("used too recently", StringComparison.OrdinalIgnoreCase) || cause.Contains("password history", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("Choose a password you haven't used recently.", null);
        }
    }

    private static Regex Word(string word) => new($@"\b{word}s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"at least (?<n>\d+) characters", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MinimumLength();

    [GeneratedRegex(@"last (?<n>\d+) passwords", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LastPasswords();
}
