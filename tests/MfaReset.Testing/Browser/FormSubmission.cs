using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace MfaReset.Testing.Browser;

/// <summary>
/// What a browser sends for a submitted form (or an address it opens, with no fields): the method, the target and
/// the fields, sent as the form's body on a POST and as the query on a GET.
/// </summary>
public sealed record FormSubmission(HttpMethod Method, Uri Target, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>A GET of <paramref name="target"/>: a link followed or an address typed.</summary>
    public static FormSubmission Open(Uri target) => new(HttpMethod.Get, target, []);

    /// <summary>The request this submission sends; relative targets are resolved by the client's base address.</summary>
    public HttpRequestMessage ToRequest()
    {
        if (Method != HttpMethod.Get)
        {
            return new HttpRequestMessage(Method, Target) { Content = new FormUrlEncodedContent(Fields) };
        }

        var target = Fields.Count == 0
            ? Target
            : new Uri(QueryHelpers.AddQueryString(Target.OriginalString, Fields.Select(f => KeyValuePair.Create(f.Key, (string?)f.Value))), UriKind.RelativeOrAbsolute);
        return new HttpRequestMessage(HttpMethod.Get, target);
    }

    /// <summary>
    /// What a browser sends next when this submission is answered with redirect <paramref name="status"/> to
    /// <paramref name="location"/>: a GET of the new address after a GET, and after 301, 302 and 303 (the fields
    /// dropped); 307 and 308 repeat a POST with its fields.
    /// </summary>
    public FormSubmission RedirectedTo(HttpStatusCode status, Uri location) =>
        Method == HttpMethod.Get || status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            ? Open(location)
            : this with { Target = location };
}
