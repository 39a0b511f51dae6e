using System.Security.Cryptography;
using MfaReset.Okta.Sandbox.Api;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>
/// The org authorization server of the sandbox: the client credentials grant for the one registered service
/// app, in the order Okta checks it: the client assertion (<see cref="ClientAssertionValidator"/>), the grant
/// type, the scopes (<see cref="RequestedScopes"/>), the DPoP proof and its nonce (<see cref="DpopProofValidator"/>);
/// then a token (<see cref="AccessTokens"/>).
/// </summary>
internal sealed class OrgAuthorizationServer(
    SandboxServiceAppOptions app, ClientAssertionValidator assertions, DpopProofValidator proofs, AccessTokens tokens, OrgUrl orgUrl)
{
    public const string TokenPath = "/oauth2/v1/token";
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The DPoP nonce token requests must carry when <see cref="SandboxServiceAppOptions.RequireDpopNonce"/> is set.</summary>
    public string Nonce { get; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));

    public string TokenUrl => orgUrl.Value + TokenPath;

    /// <summary>Runs the client credentials grant; the token, or Okta's refusal (with the nonce to use for <c>use_dpop_nonce</c>).</summary>
    public async Task<(TokenBody? Token, OAuthRefusal? Refusal)> GrantAsync(IFormCollection form, string? dpopHeader)
    {
        if (form["client_assertion_type"].ToString() != AssertionType)
        {
            return Refuse(400, "invalid_request", "The client_assertion_type is invalid.");
        }

        if (form["client_assertion"].ToString() is not { Length: > 0 } assertion)
        {
            return Refuse(401, "invalid_client", "No client credentials found.");
        }

        if (await assertions.ValidateAsync(assertion, TokenUrl).ConfigureAwait(false) is { } assertionRefusal)
        {
            return (null, assertionRefusal);
        }

        if (form["grant_type"].ToString() != "client_credentials")
        {
            return Refuse(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
        }

        var (scopes, scopeRefusal) = RequestedScopes.Check(form["scope"].ToString(), app.GrantedScopes);
        if (scopeRefusal is not null)
        {
            return (null, scopeRefusal);
        }

        var (jkt, proofRefusal) = await BindingAsync(dpopHeader).ConfigureAwait(false);
        return proofRefusal is null ? (tokens.Issue(scopes!, jkt), null) : (null, proofRefusal);
    }

    // The DPoP key the token will be bound to: none without a proof (when the app allows that).
    private async Task<(string? Jkt, OAuthRefusal? Refusal)> BindingAsync(string? dpopHeader)
    {
        if (dpopHeader is null)
        {
            return app.RequireDpop || app.RequireDpopNonce
                ? (null, new OAuthRefusal(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing."))
                : (null, null);
        }

        var (proof, refusal) = await proofs.ValidateAsync(dpopHeader, "POST", TokenUrl, accessToken: null).ConfigureAwait(false);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        return app.RequireDpopNonce && proof!.Nonce != Nonce
            ? (null, new OAuthRefusal(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof."))
            : (proof!.Jkt, null);
    }

    private static (TokenBody?, OAuthRefusal?) Refuse(int status, string error, string description) => (null, new OAuthRefusal(status, error, description));
}
