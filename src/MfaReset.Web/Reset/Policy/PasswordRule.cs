using System.Globalization;

namespace MfaReset.Web.Reset.Policy;

/// <summary>What a line of the password page's checklist requires.</summary>
public enum PasswordRuleKind
{
    /// <summary>At least <see cref="PasswordRule.Count"/> characters (UTF-16 units, as the page's script counts).</summary>
    MinLength,

    /// <summary>A lowercase letter a–z (Okta's <c>minLowerCase</c>; the checklist checks for one).</summary>
    Lowercase,

    /// <summary>An uppercase letter A–Z (<c>minUpperCase</c>).</summary>
    Uppercase,

    /// <summary>A digit 0–9 (<c>minNumber</c>).</summary>
    Number,

    /// <summary>Anything but an ASCII letter or digit (<c>minSymbol</c>).</summary>
    Symbol,

    /// <summary>None of the person's own words: parts of the username, login, email and name (<c>excludeUsername</c>, and always the portal's own check).</summary>
    NoPersonalWords,

    /// <summary>Not the first name (<c>excludeAttributes: firstName</c>); Okta checks it.</summary>
    NoFirstName,

    /// <summary>Not the last name (<c>excludeAttributes: lastName</c>); Okta checks it.</summary>
    NoLastName,

    /// <summary>Not a common or easily guessed password (<c>dictionary.common.exclude</c>, and always the portal's own check).</summary>
    NoCommonPassword,

    /// <summary>Not found in the breached-password range API (the portal's own check, when enabled).</summary>
    NotBreached,

    /// <summary>Not one of the last <see cref="PasswordRule.Count"/> passwords (<c>age.historyCount</c>); only Okta knows them.</summary>
    History,

    /// <summary>A sentence configured in <c>Reset:PasswordPolicy</c>, shown as configured and checked by Okta only.</summary>
    Configured,
}

/// <summary>
/// One checklist line as data: its kind and the number it names (a length, a count of a character class, a
/// history depth), or, for <see cref="PasswordRuleKind.Configured"/>, the configured sentence. The sentence
/// shown (<see cref="Show"/>), the browser's check (<see cref="Check"/>) and the server's (<see cref="IsMet"/>)
/// all read these fields: nothing is parsed back from English. Two equal rules are one line.
/// </summary>
public sealed record PasswordRule(PasswordRuleKind Kind, int Count = 0, string? Text = null)
{
    public static PasswordRule MinLength(int count) => new(PasswordRuleKind.MinLength, count);

    public static PasswordRule History(int count) => new(PasswordRuleKind.History, count);

    public static PasswordRule Configured(string text) => new(PasswordRuleKind.Configured, 0, text);

    public static PasswordRule Of(PasswordRuleKind kind) => new(kind);

    /// <summary>The checks the page's script makes for this line (site.js reads <c>data-check</c>); null when the browser cannot check it.</summary>
    public string? Check => Kind switch
    {
        PasswordRuleKind.MinLength => "length:" + Count.ToString(CultureInfo.InvariantCulture),
        PasswordRuleKind.Lowercase => "lower",
        PasswordRuleKind.Uppercase => "upper",
        PasswordRuleKind.Number => "digit",
        PasswordRuleKind.Symbol => "symbol",
        PasswordRuleKind.NoPersonalWords => "personal",
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="password"/> passes this line's <see cref="Check"/> (true when the browser cannot check it),
    /// exactly as the page's script marks the line: lengths in UTF-16 units, letters and digits in ASCII, a symbol anything
    /// else, and none of <paramref name="personalWords"/> (lowercase) in the lowercased password. The server refuses what
    /// the checklist shows unmet, and nothing more.
    /// </summary>
    public bool IsMet(string password, IReadOnlyCollection<string> personalWords)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(personalWords);
        return Kind switch
        {
            PasswordRuleKind.MinLength => password.Length >= Count,
            PasswordRuleKind.Lowercase => password.Any(char.IsAsciiLetterLower),
            PasswordRuleKind.Uppercase => password.Any(char.IsAsciiLetterUpper),
            PasswordRuleKind.Number => password.Any(char.IsAsciiDigit),
            PasswordRuleKind.Symbol => password.Any(c => !char.IsAsciiLetterOrDigit(c)),
            PasswordRuleKind.NoPersonalWords => !personalWords.Any(password.ToLowerInvariant().Contains),
            _ => true,
        };
    }

    /// <summary>The line in the person's language: one resource key per kind (and per singular or plural), <c>{0}</c> the number.</summary>
    public string Show(IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (key, counted) = Kind switch
        {
            PasswordRuleKind.MinLength => ("be at least {0} characters long", true),
            PasswordRuleKind.Lowercase => Class("include a lowercase letter", "include at least {0} lowercase letters"),
            PasswordRuleKind.Uppercase => Class("include an uppercase letter", "include at least {0} uppercase letters"),
            PasswordRuleKind.Number => Class("include a number", "include at least {0} numbers"),
            PasswordRuleKind.Symbol => Class("include a symbol", "include at least {0} symbols"),
            PasswordRuleKind.NoPersonalWords => ("not contain your username, or your name or email address", false),
            PasswordRuleKind.NoFirstName => ("not contain your first name", false),
            PasswordRuleKind.NoLastName => ("not contain your last name", false),
            PasswordRuleKind.NoCommonPassword => ("not be a commonly used password or one that is easy to guess", false),
            PasswordRuleKind.NotBreached => ("not be a password that has appeared in a known data breach", false),
            PasswordRuleKind.History => Class("not be your last password", "not be one of your last {0} passwords"),
            _ => (Text ?? string.Empty, false),
        };
        return counted ? text[key, Count] : text[key];
    }

    private (string Key, bool Counted) Class(string one, string many) => Count > 1 ? (many, true) : (one, false);

    /// <summary>
    /// The lines of an Okta password policy's complexity and history settings, in the policy's order; a class
    /// required zero times, a zero length or history, is no line.
    /// </summary>
    public static IReadOnlyList<PasswordRule> From(OktaPasswordComplexity complexity)
    {
        ArgumentNullException.ThrowIfNull(complexity);
        (bool Applies, PasswordRule Rule)[] lines =
        [
            (complexity.MinLength > 0, MinLength(complexity.MinLength)),
            (complexity.MinLowerCase > 0, new(PasswordRuleKind.Lowercase, complexity.MinLowerCase)),
            (complexity.MinUpperCase > 0, new(PasswordRuleKind.Uppercase, complexity.MinUpperCase)),
            (complexity.MinNumber > 0, new(PasswordRuleKind.Number, complexity.MinNumber)),
            (complexity.MinSymbol > 0, new(PasswordRuleKind.Symbol, complexity.MinSymbol)),
            (complexity.ExcludeUsername, Of(PasswordRuleKind.NoPersonalWords)),
            (complexity.ExcludeAttributes.Contains("firstName", StringComparer.Ordinal), Of(PasswordRuleKind.NoFirstName)),
            (complexity.ExcludeAttributes.Contains("lastName", StringComparer.Ordinal), Of(PasswordRuleKind.NoLastName)),
            (complexity.ExcludeCommonPasswords, Of(PasswordRuleKind.NoCommonPassword)),
            (complexity.HistoryCount > 0, History(complexity.HistoryCount)),
        ];
        return [.. lines.Where(line => line.Applies).Select(line => line.Rule)];
    }
}
