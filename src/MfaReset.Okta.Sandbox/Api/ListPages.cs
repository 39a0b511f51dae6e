using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>
/// Okta's cursor paging of a list (developer.okta.com/docs/api/#pagination; the spec's <c>limit</c> and
/// <c>after</c> parameters of listPolicies and listPolicyRules): a page of at most <c>limit</c> items after the
/// item whose id is <c>after</c>, a <c>Link: &lt;...&gt;; rel="self"</c> header, and a <c>rel="next"</c> one
/// while items remain. The cursor is the last item's id here; clients must treat it as opaque, as Okta says.
/// </summary>
internal static class ListPages
{
    public static JsonArray Page(JsonArray all, HttpRequest request, HttpResponse response, OrgUrl orgUrl, int defaultSize)
    {
        var size = int.TryParse(request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is > 0 and <= 200 ? limit : defaultSize;
        var items = all.Select(item => item!).ToList();
        var start = 0;
        if (request.Query["after"].ToString() is { Length: > 0 } after)
        {
            start = items.FindIndex(item => string.Equals((string?)item["id"], after, StringComparison.Ordinal)) + 1;
        }

        var page = items.Skip(start).Take(size).Select(item => item.DeepClone()).ToArray();
        response.Headers.Append("Link", $"<{PageUrl(request, orgUrl, size, after: request.Query["after"])}>; rel=\"self\"");
        if (start + size < items.Count && page.Length > 0)
        {
            response.Headers.Append("Link", $"<{PageUrl(request, orgUrl, size, (string?)page[^1]["id"])}>; rel=\"next\"");
        }

        return [.. page];
    }

    private static string PageUrl(HttpRequest request, OrgUrl orgUrl, int size, string? after)
    {
        var query = request.Query
            .Where(q => q.Key is not ("limit" or "after"))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("limit", size.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(after))
        {
            query = query.Append(new("after", after));
        }

        return QueryHelpers.AddQueryString(orgUrl.Value + request.Path.Value, query);
    }
}
