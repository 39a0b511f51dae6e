using Flurl.Http;
using MfaReset.Okta.Wire;

namespace MfaReset.Okta;

/// <summary>
/// Flurl over the typed client's <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>: Flurl builds and
/// sends the requests, the factory's handler chain (token, DPoP, no redirects, no cookies) stays in charge of them.
/// </summary>
internal static class OktaFlurl
{
    public static IFlurlClient Over(HttpClient http, Uri orgUrl)
    {
        var safetyNet = http.Timeout;
        var flurl = new FlurlClient(http, orgUrl.GetLeftPart(UriPartial.Authority));

        // Flurl moves HttpClient.Timeout onto a timer of its own per request; the registration's safety net stays on HttpClient.
        http.Timeout = safetyNet;
        flurl.Settings.Timeout = null;

        // The primary handler follows no redirect, and Flurl must not follow one either: a Location may point off the org.
        flurl.Settings.Redirects.Enabled = false;

        // Okta's errors are answers to read (errorCode, errorSummary, errorCauses, rate-limit headers), not exceptions.
        flurl.AllowAnyHttpStatus();
        flurl.Settings.JsonSerializer = OktaJsonSerializer.Okta;

        // Accept and User-Agent stay HttpClient's defaults, added by HttpClient as before; Flurl's copies would be re-set on every request.
        flurl.Headers.Clear();
        return flurl;
    }
}
