using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MfaReset.Okta;

/// <summary>
/// Adds the service app's access token (<c>Authorization: Bearer</c>, or <c>DPoP</c> with a new proof for
/// this very request), only for requests to the configured org. Two answers get one more try of the same
/// request: a 401 <c>use_dpop_nonce</c> (any method: Okta refused it before acting), with Okta's nonce in a
/// new proof; and any other 401 to a GET, with a renewed token. A POST refused with 401 is never repeated; the
/// token is renewed for the next call.
/// </summary>
internal sealed class OktaAccessTokenHandler(IOptions<OktaOptions> options, OktaAccessTokens tokens, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SswsAuthenticationHandler.EnsureOrgOrigin(request, options.Value);

        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendWithAsync(request, token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        if (token.IsDpop && NonceAskedFor(response) is { } nonce)
        {
            tokens.ApiNonce = nonce;
            OktaTokenLog.ApiRetry(logger, "a DPoP nonce", request.Method.Method);
        }
        else if (request.Method == HttpMethod.Get)
        {
            tokens.Invalidate(token);
            OktaTokenLog.ApiRetry(logger, "a new access token (401)", request.Method.Method);
            token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The POST may have been acted on or not; it is never repeated, but the next call gets a new token.
            tokens.Invalidate(token);
            return response;
        }

        response.Dispose();
        return await SendWithAsync(request, token, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendWithAsync(HttpRequestMessage request, OktaAccessToken token, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue(token.IsDpop ? "DPoP" : "Bearer", token.Value);
        request.Headers.Remove("DPoP");
        if (token.IsDpop)
        {
            request.Headers.TryAddWithoutValidation("DPoP", tokens.Proofs.Create(request.Method, request.RequestUri!, tokens.ApiNonce, token.Value));
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The nonce of a <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c> answer (header <c>DPoP-Nonce</c>, any case).</summary>
    private static string? NonceAskedFor(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate.Any(challenge => OAuthChallenge.Parse(challenge).Error == "use_dpop_nonce")
        && response.Headers.TryGetValues("DPoP-Nonce", out var values) && values.FirstOrDefault() is { Length: > 0 } nonce
            ? nonce
            : null;
}
