using System.Text.RegularExpressions;

namespace MfaReset.Okta;

/// <summary>
/// Decides whether a push poll href may be followed: same scheme, host and port as the org URL, and
/// exactly <c>/api/v1/users/{id}/factors/{id}/transactions/{id}</c> with plain single segments. The
/// raw text is checked, not only the parsed <see cref="Uri"/>, because Uri quietly resolves <c>..</c>
/// and unescapes characters; any such rewriting is itself a reason to refuse.
/// </summary>
internal static partial class PollHref
{
    private const string TransactionsSegment = "/transactions/";

    /// <summary>
    /// Okta's poll link of push <paramref name="transactionId"/> to <paramref name="userId"/>'s factor
    /// <paramref name="factorId"/>: <c>{orgUrl}/api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}</c>
    /// (contract fixtures <c>verifyFactor/push-challenge*</c>).
    /// </summary>
    public static string TransactionLink(Uri orgUrl, string userId, string factorId, string transactionId) =>
        $"{orgUrl.AbsoluteUri.TrimEnd('/')}/api/v1/users/{userId}/factors/{factorId}{TransactionsSegment}{transactionId}";

    /// <summary>
    /// The transaction id of <paramref name="href"/> when <see cref="TransactionLink"/> rebuilds it exactly
    /// from it; null for a link of any other shape (another host of the org, another user or factor).
    /// </summary>
    public static string? TransactionIdOf(string href, Uri orgUrl, string userId, string factorId)
    {
        var at = href.LastIndexOf(TransactionsSegment, StringComparison.Ordinal);
        var transactionId = at < 0 ? null : href[(at + TransactionsSegment.Length)..];
        return transactionId is { Length: > 0 } && string.Equals(TransactionLink(orgUrl, userId, factorId, transactionId), href, StringComparison.Ordinal)
            ? transactionId
            : null;
    }

    /// <summary>
    /// Null when the href may be followed: under <paramref name="orgUrl"/> or one of
    /// <paramref name="additionalOrigins"/> (the org's own Okta host behind a custom domain). Otherwise
    /// why not (safe to log: it never quotes the href).
    /// </summary>
    public static string? Problem(string href, Uri orgUrl, IEnumerable<Uri> additionalOrigins)
    {
        string? problem = null;
        foreach (var origin in additionalOrigins.Prepend(orgUrl))
        {
            problem = Problem(href, origin);
            if (problem is null)
            {
                return null;
            }
        }

        return problem;
    }

    private static string? Problem(string href, Uri orgUrl)
    {
        if (href.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || !Uri.TryCreate(href, UriKind.Absolute, out var uri))
        {
            return "the poll link is not an absolute URL";
        }

        if (!string.Equals(uri.Scheme, orgUrl.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.IdnHost, orgUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
            || uri.Port != orgUrl.Port
            || uri.UserInfo.Length > 0)
        {
            return "the poll link points outside the configured Okta org";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || href.Contains('?', StringComparison.Ordinal) || href.Contains('#', StringComparison.Ordinal))
        {
            return "the poll link carries a query or fragment";
        }

        var authorityEnd = href.IndexOf('/', href.IndexOf("//", StringComparison.Ordinal) + 2);
        var rawPath = authorityEnd < 0 ? "" : href[authorityEnd..];
        if (!string.Equals(rawPath, uri.AbsolutePath, StringComparison.Ordinal) || !TransactionPath().IsMatch(rawPath))
        {
            return "the poll link is not a push transaction path";
        }

        return null;
    }

    // Segments: Okta ids are letters, digits, '.', '_' and '-' (e.g. v2mst.GldKV5VxTrifyeZmWSQguA); a
    // segment of dots only is never an id.
    [GeneratedRegex(@"^/api/v1/users/(?!\.+/)[A-Za-z0-9._-]+/factors/(?!\.+/)[A-Za-z0-9._-]+/transactions/(?!\.+$)[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TransactionPath();
}
