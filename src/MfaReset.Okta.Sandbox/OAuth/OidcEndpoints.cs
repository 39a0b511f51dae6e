using System.Net;
using System.Text;
using System.Text.Json;
using MfaReset.Okta.Sandbox.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>
/// The org authorization server's OpenID Connect endpoints: discovery, authorize (a sign-in page listing the
/// demo agents instead of Okta's sign-in widget), JWKS and logout. The code grant itself is answered at the
/// token endpoint (<see cref="OAuthEndpoints"/>).
/// </summary>
internal static class OidcEndpoints
{
    public static void MapOidcSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(OidcSignIn.DiscoveryPath, Discovery);
        app.MapGet(OidcSignIn.KeysPath, (OidcSignIn signIn) => Json(new Dictionary<string, object> { ["keys"] = new[] { signIn.PublicJwk } }));
        app.MapGet(OidcSignIn.AuthorizePath, Authorize);
        app.MapPost(OidcSignIn.AuthorizePath, SignInAsync);
        app.MapGet(OidcSignIn.LogoutPath, () => Page("Signed out", "<p>You are signed out of the sandbox org.</p>", HttpStatusCode.OK));
    }

    /// <summary>The code grant, for the token endpoint: the token body or Okta's refusal.</summary>
    public static (IReadOnlyDictionary<string, object>? Body, OAuthRefusal? Refusal) Redeem(OidcSignIn signIn, IFormCollection form, HttpRequest request) =>
        signIn.Redeem(form, request.Headers.Authorization.ToString());

    /// <summary>Okta's org authorization server metadata (shared/okta-contract style fixture: tests' oidcDiscovery).</summary>
#pragma warning disable CA1861 // one document, asked for once per client start: the literal lists read like Okta's
    private static IResult Discovery(OidcSignIn signIn)
    {
        var org = signIn.Issuer;
        return Json(new Dictionary<string, object>
        {
            ["issuer"] = org,
            ["authorization_endpoint"] = org + OidcSignIn.AuthorizePath,
            ["token_endpoint"] = org + OrgAuthorizationServer.TokenPath,
            ["userinfo_endpoint"] = org + "/oauth2/v1/userinfo",
            ["registration_endpoint"] = org + "/oauth2/v1/clients",
            ["jwks_uri"] = org + OidcSignIn.KeysPath,
            ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "code token", "id_token token", "code id_token token" },
            ["response_modes_supported"] = new[] { "query", "fragment", "form_post", "okta_post_message" },
            ["grant_types_supported"] = new[] { "authorization_code", "implicit", "refresh_token", "password", "urn:ietf:params:oauth:grant-type:device_code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "email", "profile", "address", "phone", "offline_access", "groups" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none" },
            ["claims_supported"] = new[]
            {
                "iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name", "nickname", "preferred_username",
                "given_name", "middle_name", "family_name", "email", "email_verified", "profile", "zoneinfo", "locale", "address",
                "phone_number", "picture", "website", "gender", "birthdate", "updated_at", "at_hash", "c_hash",
            },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["introspection_endpoint"] = org + "/oauth2/v1/introspect",
            ["introspection_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none" },
            ["revocation_endpoint"] = org + "/oauth2/v1/revoke",
            ["revocation_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none" },
            ["end_session_endpoint"] = org + OidcSignIn.LogoutPath,
            ["request_parameter_supported"] = true,
            ["request_object_signing_alg_values_supported"] = new[] { "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512" },
        });
    }
#pragma warning restore CA1861

    private static IResult Authorize(HttpContext context, OidcSignIn signIn)
    {
        switch (signIn.Authorize(context.Request.Query))
        {
            case AuthorizeDecision.ErrorPage error:
                return Page("Sign-in error", $"<p>{Encode(error.Error)}: {Encode(error.Description)}</p>", HttpStatusCode.BadRequest);
            case AuthorizeDecision.Redirect redirect:
                return Results.Redirect(QueryHelpers.AddQueryString(redirect.RedirectUri, new Dictionary<string, string?>
                {
                    ["error"] = redirect.Error,
                    ["error_description"] = redirect.Description,
                    ["state"] = redirect.State,
                }));
            case AuthorizeDecision.SignInPage page:
                var agents = new StringBuilder();
                foreach (var agent in DemoAgents.All)
                {
                    agents.Append(CultureInfoInvariant($"""
                        <li><form method="post" action="{OidcSignIn.AuthorizePath}">
                        <input type="hidden" name="request" value="{Encode(page.RequestId)}"><input type="hidden" name="login" value="{Encode(agent.Login)}">
                        <button type="submit">Sign in as {Encode(agent.Name)}</button> <span>{Encode(agent.Login)}, groups: {Encode(string.Join(", ", agent.Groups))}</span>
                        </form></li>
                        """));
                }

                return Page("Sign in to the sandbox org", $"<p>Demo agents (no password in the sandbox):</p><ul>{agents}</ul>", HttpStatusCode.OK);
            default:
                throw new InvalidOperationException("Unknown authorize decision.");
        }
    }

    private static async Task<IResult> SignInAsync(HttpContext context, OidcSignIn signIn)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        return signIn.SignIn(form["request"].ToString(), form["login"].ToString()) is { } redirect
            ? Results.Redirect(redirect)
            : Page("Sign-in error", "<p>This sign-in request has expired. Go back to the app and sign in again.</p>", HttpStatusCode.BadRequest);
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    public static IResult Json(IReadOnlyDictionary<string, object> body) =>
        Results.Text(JsonSerializer.Serialize(body, SerializerOptions), "application/json", Encoding.UTF8);

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

    private static IResult Page(string title, string body, HttpStatusCode status)
    {
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)}</title></head><body><main><h1>{Encode(title)}</h1>{body}</main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, (int)status);
    }
}
