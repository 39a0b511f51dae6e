using System.Text.RegularExpressions;

namespace MfaReset.Okta;

/// <summary>
/// Keeps the candidate password out of what a set-password call returns. Okta has echoed rejected
/// passwords in error text (<c>rejected value [..]</c>), so every summary is scrubbed before it leaves
/// the client, and the reasons shown to the person come only from <c>errorCauses</c>.
/// </summary>
internal static partial class PasswordPolicyReasons
{
    public const string Hidden = "***";

    /// <summary>Said when Okta gave no usable cause; never the top-level <c>errorSummary</c>.</summary>
    public const string Generic = "The password does not meet the organization's password policy.";

    /// <summary>The cause summaries, scrubbed; the generic reason when none is left.</summary>
    public static IReadOnlyList<string> From(OktaError scrubbedError)
    {
        var reasons = scrubbedError.ErrorCauses
            .Select(c => c.ErrorSummary.Trim())
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return reasons.Length > 0 ? reasons : [Generic];
    }

    /// <summary>The error with every text field scrubbed of the password.</summary>
    public static OktaError Scrub(OktaError error, string password) => error with
    {
        ErrorSummary = error.ErrorSummary is null ? null : Scrub(error.ErrorSummary, password),
        ErrorCauses = error.ErrorCauses.Select(c => c with { ErrorSummary = Scrub(c.ErrorSummary, password) }).ToArray(),
    };

    // The password goes first: a password containing ']' would otherwise leave its tail behind.
    public static string Scrub(string text, string password)
    {
        var scrubbed = password.Length == 0 ? text : text.Replace(password, Hidden, StringComparison.Ordinal);
        return RejectedValue().Replace(scrubbed, $"rejected value [{Hidden}]");
    }

    // Okta's validation text quotes the value between square brackets; hide it even if it differs from
    // the candidate (trimmed, normalized) so nothing of it survives.
    [GeneratedRegex(@"rejected value \[[^\]]*\]", RegexOptions.CultureInvariant)]
    private static partial Regex RejectedValue();
}
