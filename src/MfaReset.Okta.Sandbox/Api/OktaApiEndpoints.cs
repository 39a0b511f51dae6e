using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Org;
using MfaReset.Okta.Sandbox.Wire;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>The Okta Users and Factors API subset the portal calls.</summary>
internal static class OktaApiEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void MapOktaApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users");
        users.MapGet("/{id}", GetUser).WithMetadata(new OktaOperationMetadata(OktaOperations.GetUser));
        users.MapPost("/{id}", UpdateUserAsync).WithMetadata(new OktaOperationMetadata(OktaOperations.UpdateUser));
        users.MapGet("/{userId}/factors", ListFactors).WithMetadata(new OktaOperationMetadata(OktaOperations.ListFactors));
        users.MapGet("/{userId}/factors/{factorId}", GetFactor).WithMetadata(new OktaOperationMetadata(OktaOperations.GetFactor));
        users.MapPost("/{userId}/factors/{factorId}/verify", VerifyAsync).WithMetadata(new OktaOperationMetadata(OktaOperations.VerifyFactor));
        users.MapGet("/{userId}/factors/{factorId}/transactions/{transactionId}", GetTransaction)
            .WithMetadata(new OktaOperationMetadata(OktaOperations.GetFactorTransactionStatus));
        users.MapDelete("/{userId}/factors/{factorId}/transactions/{transactionId}", CancelTransaction)
            .WithMetadata(new OktaOperationMetadata(OktaOperations.CancelFactorTransaction));
        users.MapPost("/{id}/lifecycle/unlock", Unlock).WithMetadata(new OktaOperationMetadata(OktaOperations.UnlockUser));
        users.MapGet("/{userId}/roles", ListRoles).WithMetadata(new OktaOperationMetadata(OktaOperations.ListAssignedRolesForUser));
        users.MapDelete("/{userId}/sessions", RevokeSessions).WithMetadata(new OktaOperationMetadata(OktaOperations.RevokeUserSessions));
        users.MapGet("/{userId}/groups", ListGroups).WithMetadata(new OktaOperationMetadata(OktaOperations.ListUserGroups));
        var policies = app.MapGroup("/api/v1/policies");
        policies.MapGet("/", ListPolicies).WithMetadata(new OktaOperationMetadata(OktaOperations.ListPolicies));
        policies.MapGet("/{policyId}/rules", ListPolicyRules).WithMetadata(new OktaOperationMetadata(OktaOperations.ListPolicyRules));
        app.MapGet("/api/v1/zones", ListZones).WithMetadata(new OktaOperationMetadata(OktaOperations.ListNetworkZones));
        app.MapRoleDirectory();
        app.MapFallback("/api/{**path}", (HttpRequest request) => OktaErrors.ResourceNotFound(request.Path.Value ?? ""));
    }

    // Spec (okta-management-2026.06.3.yaml, /api/v1/users/{id}): getUser's 200 carries an Etag header (line 25236), example
    // W/"1234567890abcdef"; updateUser (line 25297) and replaceUser (25373) take If-Match, "a conditional request used for
    // concurrency control". Neither the failure's status nor its body is documented (OktaErrors.PreconditionFailed).
    private static IResult GetUser(string id, HttpResponse response, SandboxOrg org, OktaRepresentations wire)
    {
        if (org.FindByIdOrLogin(id) is not { } user)
        {
            return OktaErrors.UserNotFound(id);
        }

        var (body, etag) = wire.UserWithETag(user);
        response.Headers.ETag = etag;
        return TypedResults.Json(body, OktaJson.Context.UserBody);
    }

    private static async Task<IResult> UpdateUserAsync(string id, HttpRequest request, SandboxOrg org, UserLifecycle lifecycle, OktaRepresentations wire, SandboxOptions options)
    {
        if (org.FindByIdOrLogin(id) is not { } user)
        {
            return OktaErrors.UserNotFound(id);
        }

        var (body, wellFormed) = await ReadJsonAsync(request, OktaJson.Context.UpdateUserRequest).ConfigureAwait(false);
        if (!wellFormed || body is null)
        {
            return OktaErrors.MalformedBody();
        }

        if (body.Credentials?.Password?.Value is not { } password)
        {
            return OktaErrors.ValidationFailed("credentials.password.value", "The sandbox updates passwords only.");
        }

        var strict = bool.TryParse(request.Query["strict"], out var isStrict) && isStrict;
        // An If-Match header that parses to no tag names no version, so it matches none (never read as absent).
        var ifMatch = request.Headers.IfMatch.Count > 0 ? [.. request.GetTypedHeaders().IfMatch] : (IReadOnlyList<EntityTagHeaderValue>?)null;
        return lifecycle.SetPassword(user, password, strict, ifMatch) switch
        {
            SetPasswordOutcome.UserChanged => OktaErrors.PreconditionFailed(),
            SetPasswordOutcome.Changed => TypedResults.Json(wire.User(user), OktaJson.Context.UserBody),
            SetPasswordOutcome.Rejected rejected => OktaErrors.PasswordRejected(rejected.BrokenRules, options.Policy.MinAgeMinutes),
            SetPasswordOutcome.NotAllowedInStatus => OktaErrors.NotAllowedInStatus(),
            SetPasswordOutcome.NoPasswordCredential => OktaErrors.ValidationFailed("credentials.password", "The user signs in with an identity provider and has no password in Okta."),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}."),
        };
    }

    private static IResult ListFactors(string userId, SandboxOrg org, OktaRepresentations wire) =>
        org.FindById(userId) is { } user
            ? TypedResults.Json<IReadOnlyList<FactorBody>>([.. user.Seed.Factors.Select(f => wire.Factor(user.Seed, f))], OktaJson.Context.IReadOnlyListFactorBody)
            : OktaErrors.UserNotFound(userId);

    private static IResult ListRoles(string userId, SandboxOrg org, OktaRepresentations wire) =>
        org.FindById(userId) is { } user
            ? TypedResults.Json(wire.Roles(user.Seed), OktaJson.Context.IReadOnlyListRoleBody)
            : OktaErrors.UserNotFound(userId);

    private static IResult ListGroups(string userId, SandboxOrg org, OrgUrl orgUrl) =>
        org.FindById(userId) is { } user
            ? Json(new JsonArray([.. user.Seed.GroupIds.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id,
                ["type"] = id == RecoveryPolicies.EveryoneGroupId ? "BUILT_IN" : "OKTA_GROUP",
                ["profile"] = new JsonObject { ["name"] = RecoveryPolicies.GroupNames[id], ["description"] = RecoveryPolicies.GroupNames[id] },
                ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = $"{orgUrl.Value}/api/v1/groups/{id}" } },
            })]))
            : OktaErrors.UserNotFound(userId);

    /// <summary>Only <c>type=PASSWORD</c> is served: the other policy types are not the sandbox's to emulate; their list is empty.</summary>
    private static IResult ListPolicies(HttpRequest request, HttpResponse response, OrgUrl orgUrl, SandboxOrg org) =>
        string.Equals(request.Query["type"], "PASSWORD", StringComparison.Ordinal)
            ? Json(ListPages.Page(RecoveryPolicies.Policies(orgUrl.Value, org.Options.Policy, org.Options.GroupPasswordPolicy), request, response, orgUrl, org.Options.Policy.ListPageSize))
            : request.Query["type"].Count == 0
                ? OktaErrors.ValidationFailed("type", "type: The field cannot be left blank")
                : Json([]);

    private static IResult ListPolicyRules(string policyId, OrgUrl orgUrl, HttpRequest request, HttpResponse response, SandboxOrg org) =>
        RecoveryPolicies.Rules(orgUrl.Value, policyId, org.Options.Policy, org.Options.GroupPasswordPolicy) is { } rules
            ? Json(ListPages.Page(rules, request, response, orgUrl, org.Options.Policy.ListPageSize))
            : OktaErrors.ResourceNotFound(request.Path.Value ?? "");

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult ListZones(HttpRequest request, HttpResponse response, OrgUrl orgUrl, SandboxOptions options) =>
        Json(ListPages.Page(RecoveryPolicies.Zones(orgUrl.Value, options.Policy), request, response, orgUrl, options.Policy.ListPageSize));

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Json(JsonArray body) => TypedResults.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8);

    private static IResult GetFactor(string userId, string factorId, SandboxOrg org, OktaRepresentations wire)
    {
        if (org.FindById(userId) is not { } user)
        {
            return OktaErrors.UserNotFound(userId);
        }

        return user.FindFactor(factorId) is { } factor
            ? TypedResults.Json(wire.Factor(user.Seed, factor), OktaJson.Context.FactorBody)
            : OktaErrors.FactorNotFound(factorId);
    }

    private static async Task<IResult> VerifyAsync(
        string userId, string factorId, HttpRequest request, SandboxOrg org, FactorVerifier verifier, OktaRepresentations wire)
    {
        if (org.FindById(userId) is not { } user)
        {
            return OktaErrors.UserNotFound(userId);
        }

        if (user.FindFactor(factorId) is not { } factor)
        {
            return OktaErrors.FactorNotFound(factorId);
        }

        var (body, wellFormed) = await ReadJsonAsync(request, OktaJson.Context.VerifyRequest).ConfigureAwait(false);
        if (!wellFormed)
        {
            return OktaErrors.MalformedBody();
        }

        TimeSpan? tokenLifetime = null;
        if (request.Query.TryGetValue("tokenLifetimeSeconds", out var lifetime))
        {
            // Okta documents 1 to 86,400 seconds, for email factors only.
            if (!int.TryParse(lifetime.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 86_400)
            {
                return OktaErrors.ValidationFailed("tokenLifetimeSeconds", "tokenLifetimeSeconds must be between 1 and 86400.");
            }

            tokenLifetime = TimeSpan.FromSeconds(seconds);
        }

        var outcome = verifier.Verify(
            user, factor, body?.PassCode, body?.Answer, body?.UseNumberMatchingChallenge == true,
            request.Headers.UserAgent.ToString(), request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } ip ? ip : null, tokenLifetime,
            request.Headers.AcceptLanguage.ToString());
        return outcome switch
        {
            VerifyOutcome.Challenged => TypedResults.Json(wire.Challenge(user.Seed, factor), OktaJson.Context.VerifyBody),
            VerifyOutcome.Succeeded => TypedResults.Json(OktaRepresentations.Success(), OktaJson.Context.VerifyBody),
            VerifyOutcome.PushSent sent => TypedResults.Json(
                wire.Push(sent.Transaction, PushState.Waiting, isPoll: false), OktaJson.Context.VerifyBody, statusCode: StatusCodes.Status201Created),
            VerifyOutcome.Invalid invalid => invalid.WasAnswer ? OktaErrors.InvalidAnswer() : OktaErrors.InvalidPasscode(),
            VerifyOutcome.Replayed => OktaErrors.PasscodeReplayed(),
            VerifyOutcome.TooSoon { Kind: SandboxFactorKind.Sms } => OktaErrors.SmsTooSoon(),
            VerifyOutcome.TooSoon { Kind: SandboxFactorKind.Email } => OktaErrors.EmailTooSoon(),
            VerifyOutcome.TooSoon => OktaErrors.RateLimited(),
            VerifyOutcome.UserLocked => OktaErrors.UserLocked(),
            VerifyOutcome.NotAllowedInStatus => OktaErrors.NotAllowedInStatus(),
            VerifyOutcome.MissingInput missing => OktaErrors.ValidationFailed(missing.Field, missing.Reason),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome}."),
        };
    }

    private static IResult GetTransaction(string userId, string factorId, string transactionId, SandboxOrg org, FactorVerifier verifier, OktaRepresentations wire)
    {
        if (org.FindById(userId) is null)
        {
            return OktaErrors.UserNotFound(userId);
        }

        // A transaction is found only under the user and factor it belongs to.
        return org.Transactions.TryGetValue(transactionId, out var transaction)
            && transaction.User.Seed.Id == userId
            && transaction.Factor.Id == factorId
                ? TypedResults.Json(wire.Push(transaction, verifier.Poll(transaction), isPoll: true), OktaJson.Context.VerifyBody)
                : OktaErrors.TransactionNotFound(transactionId);
    }

    private static IResult CancelTransaction(string userId, string factorId, string transactionId, SandboxOrg org, FactorVerifier verifier)
    {
        if (org.FindById(userId) is null)
        {
            return OktaErrors.UserNotFound(userId);
        }

        if (!org.Transactions.TryGetValue(transactionId, out var transaction) || transaction.User.Seed.Id != userId || transaction.Factor.Id != factorId)
        {
            return OktaErrors.TransactionNotFound(transactionId);
        }

        verifier.Cancel(transaction);
        return TypedResults.NoContent();
    }

    private static IResult Unlock(string id, SandboxOrg org, UserLifecycle lifecycle)
    {
        if (org.FindByIdOrLogin(id) is not { } user)
        {
            return OktaErrors.UserNotFound(id);
        }

        return lifecycle.Unlock(user) == UnlockOutcome.Unlocked
            ? TypedResults.Json(new EmptyObject(), OktaJson.Context.EmptyObject)
            : OktaErrors.NotAllowedInStatus();
    }

    private static IResult RevokeSessions(string userId, HttpRequest request, SandboxOrg org, UserLifecycle lifecycle)
    {
        if (org.FindById(userId) is not { } user)
        {
            return OktaErrors.UserNotFound(userId);
        }

        // forgetDevices defaults to true (spec; Identity Engine, which the sandbox is); oauthTokens to false.
        lifecycle.RevokeSessions(
            user,
            bool.TryParse(request.Query["oauthTokens"], out var oauthTokens) && oauthTokens,
            !bool.TryParse(request.Query["forgetDevices"], out var forgetDevices) || forgetDevices);
        return TypedResults.NoContent();
    }

    /// <summary>An optional JSON body: none (or <c>null</c>) gives null; anything unparsable is not well-formed.</summary>
    private static async Task<(T? Body, bool WellFormed)> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, false);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes)
        {
            return (null, false);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, true);
        }

        try
        {
            return (JsonSerializer.Deserialize(bytes.Span, typeInfo), true);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }
}
