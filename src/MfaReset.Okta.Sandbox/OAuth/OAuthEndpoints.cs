using MfaReset.Okta.Sandbox.Api;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Wire;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>The org authorization server's token endpoint, <c>POST /oauth2/v1/token</c>.</summary>
internal static class OAuthEndpoints
{
    public static void MapOrgAuthorizationServer(this IEndpointRouteBuilder app) =>
        app.MapPost(OrgAuthorizationServer.TokenPath, TokenAsync);

    private static async Task<IResult> TokenAsync(HttpContext context, OrgAuthorizationServer server, OidcSignIn signIn)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
        if (!request.HasFormContentType)
        {
            return Refused(new OAuthRefusal(400, "invalid_request", "The request must be sent as application/x-www-form-urlencoded."));
        }

        var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (form["grant_type"].ToString() == "authorization_code")
        {
            // The help-desk console's sign-in: the web app's code grant (OidcSignIn), not the service app's.
            var (body, codeRefusal) = OidcEndpoints.Redeem(signIn, form, request);
            return codeRefusal is null ? OidcEndpoints.Json(body!) : Refused(codeRefusal);
        }

        var proofs = request.Headers["DPoP"];
        if (proofs.Count > 1)
        {
            return Refused(new OAuthRefusal(400, "invalid_dpop_proof", "Multiple DPoP proof JWT headers are not allowed."));
        }

        var (token, refusal) = await server.GrantAsync(form, proofs.Count == 1 ? proofs[0] : null).ConfigureAwait(false);
        if (refusal is not null)
        {
            if (refusal.Error == "use_dpop_nonce")
            {
                // Okta's docs spell it lower-case; header names are case-insensitive.
                response.Headers["dpop-nonce"] = server.Nonce;
            }

            return Refused(refusal);
        }

        return TypedResults.Json(token!, OktaJson.Context.TokenBody);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<OAuthErrorBody> Refused(OAuthRefusal refusal) =>
        TypedResults.Json(new OAuthErrorBody(refusal.Error, refusal.Description), OktaJson.Context.OAuthErrorBody, statusCode: refusal.Status);
}

/// <summary>
/// Who may call the Management API: the SSWS token, or an access token from <see cref="OrgAuthorizationServer"/>
/// (<c>Bearer</c>, or <c>DPoP</c> with a proof for this request) that holds the operation's scope. OAuth refusals
/// come as Okta sends them: no body, the reason in <c>WWW-Authenticate</c>.
/// </summary>
internal sealed class ApiAuthorization(ApiToken apiToken, AccessTokens tokens, DpopProofValidator proofs, OrgUrl orgUrl, SandboxServiceAppOptions app)
{
    private static readonly string Algorithms = string.Join(' ', JwtRules.SignatureAlgorithms);

    /// <summary>The scope each operation needs (shared/okta-contract reference/oauth-scopes.json).</summary>
    private static readonly Dictionary<string, string> Scopes = new(StringComparer.Ordinal)
    {
        [OktaOperations.GetUser] = "okta.users.read",
        [OktaOperations.ListFactors] = "okta.users.read",
        [OktaOperations.GetFactor] = "okta.users.read",
        [OktaOperations.GetFactorTransactionStatus] = "okta.users.read",
        [OktaOperations.VerifyFactor] = "okta.users.manage",
        [OktaOperations.UpdateUser] = "okta.users.manage",
        [OktaOperations.UnlockUser] = "okta.users.manage",
        [OktaOperations.RevokeUserSessions] = "okta.users.manage",
        [OktaOperations.CancelFactorTransaction] = "okta.users.manage",
        [OktaOperations.ListAssignedRolesForUser] = "okta.roles.read",
        [OktaOperations.ListUserGroups] = "okta.users.read",
        [OktaOperations.ListPolicies] = "okta.policies.read",
        [OktaOperations.ListPolicyRules] = "okta.policies.read",
        [OktaOperations.ListNetworkZones] = "okta.networkZones.read",
        [OktaOperations.ListUsersWithRoleAssignments] = "okta.roles.read",
        [OktaOperations.ListGroups] = "okta.groups.read",
        [OktaOperations.ListGroupAssignedRoles] = "okta.roles.read",
        [OktaOperations.ListGroupUsers] = "okta.groups.read",
    };

    /// <summary>Null when the call may go on; else the answer to send.</summary>
    public async Task<IResult?> CheckAsync(HttpRequest request, string operation)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (apiToken.Matches(authorization))
        {
            return RolePermits(operation);
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space > 0 ? authorization[..space] : "";
        var value = space > 0 ? authorization[(space + 1)..] : "";
        if (scheme is not ("Bearer" or "DPoP") || tokens.Find(value) is not { } token)
        {
            return OktaErrors.InvalidToken();
        }

        var path = request.Path.Value ?? "/";
        if (scheme == "Bearer" && token.BoundJkt is not null)
        {
            return Challenge(400, scheme, "invalid_request", "The resource request must use the DPoP authentication scheme when using a DPoP bound token.", path, scope: null);
        }

        if (scheme == "DPoP")
        {
            if (token.BoundJkt is null)
            {
                return Challenge(401, scheme, "invalid_token", "The presented access_token is not DPoP bound.", path, scope: null);
            }

            var dpopHeaders = request.Headers["DPoP"];
            if (dpopHeaders.Count != 1)
            {
                return Challenge(400, scheme, "invalid_dpop_proof",
                    dpopHeaders.Count == 0 ? "The DPoP proof JWT header is missing." : "Multiple DPoP proof JWT headers are not allowed.", path, scope: null);
            }

            // htu: scheme, host and the decoded path, without the query (as Okta compares it).
            var (proof, refusal) = await proofs.ValidateAsync(dpopHeaders[0]!, request.Method, orgUrl.Value + Uri.UnescapeDataString(path), value).ConfigureAwait(false);
            if (refusal is not null)
            {
                return Challenge(refusal.Status, scheme, refusal.Error, refusal.Description, path, scope: null);
            }

            if (proof!.Jkt != token.BoundJkt)
            {
                return Challenge(400, scheme, "invalid_dpop_proof", "The access_token is not bound to the provided DPoP proof.", path, scope: null);
            }
        }

        var needed = Scopes.GetValueOrDefault(operation, "okta.users.read");
        // A .manage scope also allows reading what it manages.
        var held = token.Scopes.Contains(needed) || (needed.EndsWith(".read", StringComparison.Ordinal) && token.Scopes.Contains(needed[..^".read".Length] + ".manage"));
        return held
            ? RolePermits(operation)
            : Challenge(403, scheme, "insufficient_scope", "The access token provided does not contain the required scopes.", path, needed);
    }

    /// <summary>The admin role's permissions, past the scopes: a denied operation answers 403 E0000006.</summary>
    private IResult? RolePermits(string operation) =>
        app.DeniedOperations.Contains(operation, StringComparer.Ordinal) ? OktaErrors.AccessDenied() : null;

    private ChallengeResult Challenge(int status, string scheme, string error, string description, string path, string? scope)
    {
        var org = orgUrl.Value;
        var header = (scheme == "DPoP" ? $"DPoP algs=\"{Algorithms}\", " : "Bearer ")
            + $"authorization_uri=\"{org}/oauth2/v1/authorize\", realm=\"{org}\", "
            + (scope is null ? "" : $"scope=\"{scope}\", ")
            + $"error=\"{error}\", error_description=\"{description}\", resource=\"{path}\"";
        return new ChallengeResult(status, header);
    }

    /// <summary>A status and a <c>WWW-Authenticate</c> header, no body.</summary>
    private sealed class ChallengeResult(int status, string header) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.WWWAuthenticate = header;
            return Task.CompletedTask;
        }
    }
}
