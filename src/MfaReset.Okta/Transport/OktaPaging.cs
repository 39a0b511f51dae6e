using System.Text.RegularExpressions;
using Flurl;

namespace MfaReset.Okta;

/// <summary>
/// Okta's paged lists: each page names the next in a <c>Link</c> header with <c>rel="next"</c> (the spec:
/// "treat the link as an opaque value: follow it, don't parse it"), and the last page has none. Okta sends
/// one <c>Link</c> header per relation; a comma-separated list in one header is read too.
/// </summary>
internal static partial class OktaPaging
{
    /// <summary>
    /// The most pages one list read follows. A password policy list or a policy's rules fit in one page of
    /// Okta's default size for any org seen; 50 pages is far beyond that, and a list that never ends (a loop of
    /// links) stops here instead of spending the org's rate limit.
    /// </summary>
    public const int MaxPages = 50;

    /// <summary>The <c>rel="next"</c> link of an answer, or null.</summary>
    public static Uri? NextOf(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var link in LinkSeparator().Split(value))
            {
                if (NextIn(link) is { } next)
                {
                    return next;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="next"/> is not followed, or null: it must stay on the first page's scheme, host, port and
    /// path (only the query, Okta's cursor, changes), so the service app's credential never goes elsewhere; and
    /// the list must end within <see cref="MaxPages"/> pages.
    /// </summary>
    public static string? Problem(Uri next, Uri firstPage, int pagesRead)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(firstPage);
        if (!next.IsAbsoluteUri || Uri.Compare(next, firstPage, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return "the next link leaves the list's own address";
        }

        if (!string.IsNullOrEmpty(next.UserInfo) || !string.IsNullOrEmpty(next.Fragment))
        {
            return "the next link carries user information or a fragment";
        }

        return pagesRead >= MaxPages ? $"the list is longer than {MaxPages} pages" : null;
    }

    /// <summary>
    /// The <c>after</c> cursor of a next link (a <c>Link</c> header's, or a body's <c>_links.next.href</c>), for
    /// lists the caller pages itself: it keeps only the cursor and builds the next request on the configured org,
    /// so no URL from an answer is followed. Null for no link, or a link without a cursor.
    /// </summary>
    public static string? AfterOf(string? href) =>
        !string.IsNullOrWhiteSpace(href) && Uri.TryCreate(href, UriKind.Absolute, out _)
            && new Url(href).QueryParams.FirstOrDefault("after") is { } after && after.ToString() is { Length: > 0 } cursor
            ? cursor
            : null;

    /// <summary>A comma between links (one before the next <c>&lt;</c>), not one inside a link's URL.</summary>
    [GeneratedRegex(@",\s*(?=<)", RegexOptions.CultureInvariant)]
    private static partial Regex LinkSeparator();

    private static Uri? NextIn(string value)
    {
        var link = value.Trim();
        var close = link.IndexOf('>', StringComparison.Ordinal);
        if (!link.StartsWith('<') || close < 0)
        {
            return null;
        }

        var parameters = link[(close + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var isNext = parameters.Any(p => p.Replace(" ", string.Empty, StringComparison.Ordinal) is "rel=\"next\"" or "rel=next");
        return isNext && Uri.TryCreate(link[1..close], UriKind.Absolute, out var uri) ? uri : null;
    }
}
