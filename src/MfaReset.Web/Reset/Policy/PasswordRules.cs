using System.Globalization;
using System.Text.RegularExpressions;

namespace MfaReset.Web.Reset.Policy;

/// <summary>
/// Okta's <c>errorCauses</c> for a refused password turned into plain sentences: Okta gives them only as English
/// text, so they are read by their words. Okta's own texts ("Password requirements: at least 0 characters, an
/// uppercase letter.") are never shown. The checklist itself is data (<see cref="PasswordRule"/>).
/// </summary>
public static partial class PasswordRules
{
    /// <summary>Said when a cause names nothing this portal recognizes.</summary>
    public const string Generic = "Choose a password that meets your organization's password policy.";

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
