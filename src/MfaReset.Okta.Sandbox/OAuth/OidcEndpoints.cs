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
        app.MapGet(OidcSignIn.AuthorizePath, AuthorizeAsync);
        app.MapPost(OidcSignIn.AuthorizePath, SignInAsync);
        app.MapGet(OidcSignIn.LogoutPath, (ComponentRenderer components) => PageAsync(components, new SignInPageView("Signed out", "You are signed out of the sandbox org."), HttpStatusCode.OK));
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

    private static async Task<IResult> AuthorizeAsync(HttpContext context, OidcSignIn signIn, ComponentRenderer components) => signIn.Authorize(context.Request.Query) switch
    {
        AuthorizeDecision.ErrorPage error =>
            await PageAsync(components, new SignInPageView("Sign-in error", $"{error.Error}: {error.Description}"), HttpStatusCode.BadRequest).ConfigureAwait(false),
        AuthorizeDecision.Redirect redirect => Results.Redirect(QueryHelpers.AddQueryString(redirect.RedirectUri, new Dictionary<string, string?>
        {
            ["error"] = redirect.Error,
            ["error_description"] = redirect.Description,
            ["state"] = redirect.State,
        })),
        AuthorizeDecision.SignInPage page =>
            await PageAsync(components, new SignInPageView("Sign in to the sandbox org", Message: null, page.RequestId), HttpStatusCode.OK).ConfigureAwait(false),
        _ => throw new InvalidOperationException("Unknown authorize decision."),
    };

    private static async Task<IResult> SignInAsync(HttpContext context, OidcSignIn signIn, ComponentRenderer components)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        return signIn.SignIn(form["request"].ToString(), form["login"].ToString()) is { } redirect
            ? Results.Redirect(redirect)
            : await PageAsync(components, new SignInPageView("Sign-in error", "This sign-in request has expired. Go back to the app and sign in again."), HttpStatusCode.BadRequest).ConfigureAwait(false);
    }

    public static IResult Json(IReadOnlyDictionary<string, object> body) =>
        Results.Text(JsonSerializer.Serialize(body, SerializerOptions), "application/json", Encoding.UTF8);

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

    private static async Task<IResult> PageAsync(ComponentRenderer components, SignInPageView view, HttpStatusCode status)
    {
        var html = await components.RenderAsync<SignInDocument>(nameof(SignInDocument.View), view).ConfigureAwait(false);
        return Results.Content(html.Value, "text/html; charset=utf-8", Encoding.UTF8, (int)status);
    }
}
