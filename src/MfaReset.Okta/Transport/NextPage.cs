using System.Net.Http.Headers;
using Flurl;

namespace MfaReset.Okta;

/// <summary>
/// Okta's cursor paging: a page's next link (the <c>Link</c> header's <c>rel="next"</c>, or a body's
/// <c>_links.next.href</c>) carries an <c>after</c> cursor. Only that cursor is kept; the client builds the
/// next request itself, so no URL from an answer is ever followed.
/// </summary>
internal static class NextPage
{
    /// <summary>The <c>after</c> cursor of the <c>rel="next"</c> link among <paramref name="headers"/>; null when there is none.</summary>
    public static string? AfterOf(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(value => value.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length > 1 && parts[0] is ['<', .., '>'] target
                && parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next"))
            {
                return AfterOf(target[1..^1]);
            }
        }

        return null;
    }

    /// <summary>The <c>after</c> query parameter of <paramref name="href"/>; null for no link, or a link without a cursor.</summary>
    public static string? AfterOf(string? href)
    {
        if (string.IsNullOrWhiteSpace(href) || !Uri.TryCreate(href, UriKind.Absolute, out _))
        {
            return null;
        }

        return new Url(href).QueryParams.FirstOrDefault("after") is { } after && after.ToString() is { Length: > 0 } cursor ? cursor : null;
    }
}
