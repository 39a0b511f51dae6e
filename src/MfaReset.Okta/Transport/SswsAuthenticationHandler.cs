using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace MfaReset.Okta;

/// <summary>
/// Adds <c>Authorization: SSWS &lt;token&gt;</c>, and only for requests to the configured org (its URL
/// or one of <see cref="OktaOptions.AdditionalApiHosts"/>): the token must never travel to another host,
/// whatever URL a bug or a tampered poll link produces.
/// </summary>
internal sealed class SswsAuthenticationHandler(IOptions<OktaOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        EnsureOrgOrigin(request, settings);
        request.Headers.Authorization = new AuthenticationHeaderValue("SSWS", settings.ApiToken);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Credentials of any kind go only to the org's own origins.</summary>
    internal static void EnsureOrgOrigin(HttpRequestMessage request, OktaOptions settings)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri
            || settings.OrgUrl is not { } orgUrl
            || !settings.AdditionalApiHosts.Prepend(orgUrl).Any(origin => Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0))
        {
            throw new InvalidOperationException("The Okta client sends requests only to the configured org URL.");
        }
    }
}
