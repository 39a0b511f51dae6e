using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Flurl;
using Flurl.Http;
using MfaReset.Okta.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace MfaReset.Okta;

/// <summary>
/// <see cref="IOktaClient"/> over a typed <see cref="HttpClient"/>, its requests built and sent with Flurl
/// (<see cref="OktaFlurl"/>); authentication, <c>Accept</c> and the product <c>User-Agent</c> come from the
/// handler chain set up by <see cref="OktaClientServiceCollectionExtensions.AddOktaClient"/>.
/// </summary>
internal sealed partial class OktaClient(HttpClient http, IOptions<OktaOptions> options, OktaResilience resilience, OktaMetrics metrics, ILogger<OktaClient> logger) : IOktaClient
{
    private readonly Uri _orgUrl = OrgUrlOf(options);

    private readonly Uri[] _additionalApiHosts = [.. options.Value.AdditionalApiHosts];

    private readonly IFlurlClient _flurl = OktaFlurl.Over(http, OrgUrlOf(options));

    // The answer's ETag is this version of the user, for a conditional set (spec: getUser's 200 carries ETag; updateUser takes If-Match).
    public Task<OktaResult<OktaUser>> GetUserAsync(string loginOrId, CancellationToken cancellationToken = default) =>
        ReadAsync(OktaOperation.GetUser, Get(User(loginOrId)), OktaJsonContext.Default.UserWire, static (wire, answer) => WireMapping.ToUser(wire) is { } user ? user with { ETag = answer.ETag } : null, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaFactor>>> ListFactorsAsync(string userId, CancellationToken cancellationToken = default) =>
        ReadAsync(OktaOperation.ListFactors, Get(User(userId, "factors")), OktaJsonContext.Default.IReadOnlyListFactorWire, WireMapping.ToFactors, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaRole>>> ListAssignedRolesAsync(string userId, CancellationToken cancellationToken = default) =>
        ReadAsync(OktaOperation.ListAssignedRoles, Get(User(userId, "roles")), OktaJsonContext.Default.IReadOnlyListRoleWire, WireMapping.ToRoles, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaGroup>>> ListUserGroupsAsync(string userId, CancellationToken cancellationToken = default) =>
        ReadAsync(OktaOperation.ListUserGroups, Get(User(userId, "groups")), OktaJsonContext.Default.IReadOnlyListGroupWire, WireMapping.ToGroups, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaPasswordPolicy>>> ListPasswordPoliciesAsync(CancellationToken cancellationToken = default) =>
        ReadAllPagesAsync(OktaOperation.ListPolicies, Api("policies").SetQueryParam("type", "PASSWORD"), OktaJsonContext.Default.IReadOnlyListPolicyWire, WireMapping.ToPasswordPolicies, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>> ListPasswordPolicyRulesAsync(string policyId, CancellationToken cancellationToken = default) =>
        ReadAllPagesAsync(OktaOperation.ListPolicyRules, Policy(policyId, "rules"), OktaJsonContext.Default.IReadOnlyListPolicyRuleWire, WireMapping.ToPasswordPolicyRules, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaNetworkZone>>> ListNetworkZonesAsync(CancellationToken cancellationToken = default) =>
        ReadAllPagesAsync(OktaOperation.ListNetworkZones, Api("zones"), OktaJsonContext.Default.IReadOnlyListNetworkZoneWire, WireMapping.ToNetworkZones, cancellationToken);

    public Task<FactorVerifyResult> ChallengeAsync(string userId, string factorId, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default)
    {
        var request = Post(Verify(userId, factorId), withHeaders: r => ForEndUser(InLanguage(r, language), endUser));
        return VerifyAsync(OktaOperation.Challenge, resilience.Unsafe, request, currentPoll: null, cancellationToken);
    }

    public Task<FactorVerifyResult> ChallengeEmailAsync(string userId, string factorId, TimeSpan tokenLifetime, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Ceiling(tokenLifetime.TotalSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1, nameof(tokenLifetime));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, 86_400, nameof(tokenLifetime));
        var request = Post(Verify(userId, factorId).SetQueryParam("tokenLifetimeSeconds", seconds), withHeaders: r => ForEndUser(InLanguage(r, language), endUser));
        return VerifyAsync(OktaOperation.Challenge, resilience.Unsafe, request, currentPoll: null, cancellationToken);
    }

    public Task<FactorVerifyResult> VerifyPasscodeAsync(string userId, string factorId, string passCode, OktaEndUser? endUser = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passCode);
        var request = Post(Verify(userId, factorId), new PasscodeRequestWire(passCode), r => ForEndUser(r, endUser));
        return VerifyAsync(OktaOperation.VerifyPasscode, resilience.Unsafe, request, currentPoll: null, cancellationToken);
    }

    public Task<FactorVerifyResult> SendPushAsync(string userId, string factorId, PushRequestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verify = Verify(userId, factorId);
        if (PushContextProblem(context) is { } problem)
        {
            OktaClientLog.PushRefused(logger, problem);
            return Task.FromResult<FactorVerifyResult>(new FactorVerifyResult.Refused(problem));
        }

        // Okta documents the push without a body; the body is only needed to ask for number matching.
        var body = context.UseNumberMatching ? new PushRequestWire(UseNumberMatchingChallenge: true) : null;
        return VerifyAsync(OktaOperation.SendPush, resilience.Unsafe, Post(verify, body, r => ForEndUser(r, context.EndUser)), currentPoll: null, cancellationToken);
    }

    public Task<FactorVerifyResult> PollPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (PollHref.Problem(handle.Href, _orgUrl, _additionalApiHosts) is { } problem)
        {
            OktaClientLog.PollRefused(logger, problem);
            return Task.FromResult<FactorVerifyResult>(new FactorVerifyResult.Refused(problem));
        }

        return VerifyAsync(OktaOperation.PollPush, resilience.Idempotent, Get(Transaction(handle)), handle, cancellationToken);
    }

    public async Task<FactorVerifyResult> CancelPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (PollHref.Problem(handle.Href, _orgUrl, _additionalApiHosts) is { } problem)
        {
            OktaClientLog.PollRefused(logger, problem);
            return new FactorVerifyResult.Refused(problem);
        }

        var reply = await SendAsync(OktaOperation.CancelPush, resilience.Unsafe, Delete(Transaction(handle)), cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            OktaReply.NoAnswer none => new FactorVerifyResult.Unavailable(none.Reason),
            OktaReply.Answer { Error: null } => new FactorVerifyResult.Cancelled(),
            OktaReply.Answer { Error: { HttpStatus: 429 } error } => new FactorVerifyResult.Throttled(error),
            OktaReply.Answer { Error: { } error } => new FactorVerifyResult.Failed(error),
            _ => throw new InvalidOperationException("Unexpected reply."),
        };
    }

    public async Task<SetPasswordResult> SetPasswordAsync(string userId, string newPassword, OktaEntityTag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(newPassword);
        var body = new SetPasswordRequestWire(new PasswordCredentialsWire(new PasswordValueWire(newPassword)));
        var request = Post(User(userId).SetQueryParam("strict", "true"), body, r => ifMatch is null ? r : r.WithHeader("If-Match", ifMatch.HeaderValue));
        var reply = await SendAsync(OktaOperation.SetPassword, resilience.Unsafe, request, cancellationToken).ConfigureAwait(false);

        return reply switch
        {
            OktaReply.NoAnswer none => new SetPasswordResult.Unavailable(none.Reason),
            OktaReply.Answer { Error: null } => new SetPasswordResult.Changed(),
            // Okta documents no body for a failed If-Match: the status alone says the user is no longer that version.
            OktaReply.Answer { Status: 412, Error: { } stale } when ifMatch is not null => new SetPasswordResult.UserChanged(PasswordPolicyReasons.Scrub(stale, newPassword)),
            OktaReply.Answer { Error: { } error } => ToSetPasswordFailure(PasswordPolicyReasons.Scrub(error, newPassword)),
            _ => throw new InvalidOperationException("Unexpected reply."),
        };
    }

    public Task<OktaResult<NoContent>> UnlockUserAsync(string userId, CancellationToken cancellationToken = default) =>
        SendForNoContentAsync(OktaOperation.UnlockUser, resilience.Unsafe, Post(User(userId, "lifecycle", "unlock")), cancellationToken);

    public Task<OktaResult<NoContent>> RevokeSessionsAsync(string userId, bool revokeOAuthTokens, bool? forgetDevices = null, CancellationToken cancellationToken = default)
    {
        var sessions = User(userId, "sessions");
        var request = revokeOAuthTokens ? sessions.SetQueryParam("oauthTokens", "true") : sessions;
        if (forgetDevices is { } forget)
        {
            request = request.SetQueryParam("forgetDevices", forget ? "true" : "false");
        }

        return SendForNoContentAsync(OktaOperation.RevokeSessions, resilience.Idempotent, Delete(request), cancellationToken);
    }

    private Task<OktaResult<T>> ReadAsync<TWire, T>(
        OktaOperation operation,
        OktaRequest request,
        JsonTypeInfo<TWire> wireType,
        Func<TWire, T?> map,
        CancellationToken cancellationToken)
        where T : class =>
        ReadAsync(operation, request, wireType, (wire, _) => map(wire), cancellationToken);

    private async Task<OktaResult<T>> ReadAsync<TWire, T>(
        OktaOperation operation,
        OktaRequest request,
        JsonTypeInfo<TWire> wireType,
        Func<TWire, OktaReply.Answer, T?> map,
        CancellationToken cancellationToken)
        where T : class
    {
        var reply = await SendAsync(operation, resilience.Idempotent, request, cancellationToken).ConfigureAwait(false);
        if (reply is OktaReply.Answer { Error: null } answer)
        {
            return Deserialize(answer, wireType) is { } wire && map(wire, answer) is { } value
                ? new OktaResult<T>.Ok(value)
                : new OktaResult<T>.Failed(Unreadable(operation, answer));
        }

        return ToReadFailure<T>(reply);
    }

    /// <summary>
    /// A list Okta pages (<c>Link: &lt;...&gt;; rel="next"</c>), followed to its end: every page is read before
    /// anything is mapped, so a list is never half-read. A next link elsewhere than the first page's own path
    /// on the org, or more than <see cref="OktaPaging.MaxPages"/> pages, fails the read (fail closed).
    /// </summary>
    private async Task<OktaResult<T>> ReadAllPagesAsync<TItem, T>(
        OktaOperation operation,
        Url first,
        JsonTypeInfo<IReadOnlyList<TItem>> pageType,
        Func<IReadOnlyList<TItem>, T?> map,
        CancellationToken cancellationToken)
        where T : class
    {
        var firstPage = new Uri(first.ToString());
        var items = new List<TItem>();
        OktaReply.Answer? last = null;
        Url? page = first;
        for (var pages = 1; page is not null; pages++)
        {
            var reply = await SendAsync(operation, resilience.Idempotent, Get(page), cancellationToken).ConfigureAwait(false);
            if (reply is not OktaReply.Answer { Error: null } answer)
            {
                return ToReadFailure<T>(reply);
            }

            if (Deserialize(answer, pageType) is not { } pageItems)
            {
                return new OktaResult<T>.Failed(Unreadable(operation, answer));
            }

            items.AddRange(pageItems);
            last = answer;
            if (answer.NextPage is not { } next)
            {
                page = null;
            }
            else if (OktaPaging.Problem(next, firstPage, pages) is { } problem)
            {
                OktaClientLog.PagingRefused(logger, operation.Name, problem);
                return new OktaResult<T>.Failed(answer.Unreadable());
            }
            else
            {
                page = new Url(next.AbsoluteUri);
            }
        }

        return map(items) is { } value ? new OktaResult<T>.Ok(value) : new OktaResult<T>.Failed(Unreadable(operation, last!));
    }

    private async Task<OktaResult<NoContent>> SendForNoContentAsync(
        OktaOperation operation,
        ResiliencePipeline<HttpResponseMessage> pipeline,
        OktaRequest request,
        CancellationToken cancellationToken)
    {
        var reply = await SendAsync(operation, pipeline, request, cancellationToken).ConfigureAwait(false);
        return reply is OktaReply.Answer { Error: null } ? new OktaResult<NoContent>.Ok(default) : ToReadFailure<NoContent>(reply);
    }

    private async Task<FactorVerifyResult> VerifyAsync(
        OktaOperation operation,
        ResiliencePipeline<HttpResponseMessage> pipeline,
        OktaRequest request,
        PushPollHandle? currentPoll,
        CancellationToken cancellationToken)
    {
        var reply = await SendAsync(operation, pipeline, request, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            OktaReply.NoAnswer none => new FactorVerifyResult.Unavailable(none.Reason),
            OktaReply.Answer { Error: null } answer =>
                Deserialize(answer, OktaJsonContext.Default.VerifyResultWire) is { } wire && WireMapping.ToVerifyResult(wire, currentPoll) is { } result
                    ? result
                    : new FactorVerifyResult.Failed(Unreadable(operation, answer)),
            OktaReply.Answer { Error: { HttpStatus: 403, ErrorCode: OktaErrorCodes.InvalidPasscode } error } => new FactorVerifyResult.InvalidPasscode(error),
            OktaReply.Answer { Error: { HttpStatus: 403, ErrorCode: OktaErrorCodes.PasscodeReplayed } error } => new FactorVerifyResult.CodeReused(CodeReuse.Replayed, error),
            OktaReply.Answer { Error: { HttpStatus: 403, ErrorCode: OktaErrorCodes.PasscodeTimeWindowExceeded } error } => new FactorVerifyResult.CodeReused(CodeReuse.TimeWindowExceeded, error),
            OktaReply.Answer { Error: { HttpStatus: 429 } error } => new FactorVerifyResult.Throttled(error),
            OktaReply.Answer { Error: { } error } => new FactorVerifyResult.Failed(error),
            _ => throw new InvalidOperationException("Unexpected reply."),
        };
    }

    /// <summary>
    /// Runs one call through <paramref name="pipeline"/> and reads the answer. Expected failures
    /// become <see cref="OktaReply.NoAnswer"/>; only the caller's own cancellation is thrown.
    /// </summary>
    private async Task<OktaReply> SendAsync(
        OktaOperation operation,
        ResiliencePipeline<HttpResponseMessage> pipeline,
        OktaRequest request,
        CancellationToken cancellationToken)
    {
        var call = new OktaCall(operation, request, cancellationToken);
        var context = resilience.StartCall(operation.Name, cancellationToken);
        var started = resilience.Time.GetTimestamp();
        try
        {
            using var response = await pipeline.ExecuteAsync(
                static (ctx, state) => state.resilience.SendAttemptAsync(state.call, ctx.CancellationToken),
                context,
                (resilience, call)).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return ReadAnswer(operation, response, body, started);
        }
        catch (OktaTokenUnavailableException)
        {
            // Logged once by the token source with Okta's error code; here the call's outcome, the same for every caller.
            return NoAnswer(operation, new OktaUnavailable(OktaUnavailableKind.NoAccessToken, call.MayHaveReachedOkta), started);
        }
        catch (OktaCallRefusedException refused)
        {
            return NoAnswer(operation, new OktaUnavailable(refused.Kind, call.MayHaveReachedOkta), started);
        }
        catch (TimeoutRejectedException)
        {
            return NoAnswer(operation, new OktaUnavailable(OktaUnavailableKind.Timeout, call.MayHaveReachedOkta), started);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, the last safety net behind the pipeline's own timeouts.
            return NoAnswer(operation, new OktaUnavailable(OktaUnavailableKind.Timeout, call.MayHaveReachedOkta), started);
        }
        catch (HttpRequestException exception)
        {
            return NoAnswer(operation, new OktaUnavailable(OktaUnavailableKind.ConnectionFailed, MayHaveBeenSent(exception)), started);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private OktaReply ReadAnswer(OktaOperation operation, HttpResponseMessage response, byte[] body, long started)
    {
        var status = (int)response.StatusCode;
        var rateLimit = RateLimitHeaders.Read(response.Headers);
        var elapsedMs = ElapsedMs(started);
        var requestId = OktaClientLog.RequestIdOf(response);
        if (response.IsSuccessStatusCode)
        {
            OktaClientLog.Answered(logger, operation.Name, status, elapsedMs, requestId);
            metrics.Answered(operation, status, errorCode: null, resilience.Time.GetElapsedTime(started));
            var answer = new OktaReply.Answer(status, body, rateLimit, Error: null) { NextPage = OktaPaging.NextOf(response), ETag = EntityTagOf(response) };
            if (RateLimitHeaders.AreMalformed(response.Headers))
            {
                // Headers Okta never sends: the answer as a whole is not trusted.
                return answer with { Error = Unreadable(operation, answer) };
            }

            return answer;
        }

        var error = WireMapping.ToError(status, Deserialize(body, OktaJsonContext.Default.ErrorWire), rateLimit);
        if (error.ErrorCode is null && OAuthChallenge.Of(response) is { } challenge)
        {
            // OAuth failures on API calls (insufficient_scope, invalid_dpop_proof) come in WWW-Authenticate, with no body.
            error = error with { ErrorCode = challenge.Error, ErrorSummary = challenge.ErrorDescription };
        }

        OktaClientLog.AnsweredError(logger, operation.Name, status, error.ErrorCode, error.ErrorId, requestId, elapsedMs);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            OktaClientLog.RateLimited(logger, operation.Name, error.ErrorCode, rateLimit?.Limit, rateLimit?.Remaining, rateLimit?.ResetAt);
        }

        if (status < 500)
        {
            metrics.Answered(operation, status, error.ErrorCode, resilience.Time.GetElapsedTime(started));
        }

        return status >= 500
            ? NoAnswer(operation, new OktaUnavailable(OktaUnavailableKind.ServerError, RequestMayHaveReachedOkta: true, status), started)
            : new OktaReply.Answer(status, body, rateLimit, error);
    }

    private OktaReply.NoAnswer NoAnswer(OktaOperation operation, OktaUnavailable reason, long started)
    {
        OktaClientLog.Unavailable(logger, operation.Name, reason.Kind, reason.HttpStatus, reason.RequestMayHaveReachedOkta, ElapsedMs(started));
        metrics.Unavailable(operation, reason, resilience.Time.GetElapsedTime(started));
        return new OktaReply.NoAnswer(reason);
    }

    private OktaError Unreadable(OktaOperation operation, OktaReply.Answer answer)
    {
        OktaClientLog.UnreadableBody(logger, operation.Name, answer.Status);
        return answer.Unreadable();
    }

    private static OktaEntityTag? EntityTagOf(HttpResponseMessage response) =>
        response.Headers.ETag is { } tag ? new OktaEntityTag(tag.Tag, tag.IsWeak) : null;

    private long ElapsedMs(long started) => (long)resilience.Time.GetElapsedTime(started).TotalMilliseconds;

    private static OktaResult<T> ToReadFailure<T>(OktaReply reply) => reply switch
    {
        OktaReply.NoAnswer none => new OktaResult<T>.Unavailable(none.Reason),
        OktaReply.Answer { Error: { HttpStatus: 404 } error } => new OktaResult<T>.NotFound(error),
        OktaReply.Answer { Error: { HttpStatus: 429 } error } => new OktaResult<T>.Throttled(error),
        OktaReply.Answer { Error: { } error } => new OktaResult<T>.Failed(error),
        _ => throw new InvalidOperationException("A successful reply is not a failure."),
    };

    private static SetPasswordResult ToSetPasswordFailure(OktaError scrubbed) => scrubbed switch
    {
        { HttpStatus: 400, ErrorCode: OktaErrorCodes.ValidationFailed } or { HttpStatus: 403, ErrorCode: OktaErrorCodes.CredentialsUpdateFailed or OktaErrorCodes.PasswordComplexity } =>
            new SetPasswordResult.Rejected(PasswordPolicyReasons.From(scrubbed), scrubbed),
        { HttpStatus: 429 } => new SetPasswordResult.Throttled(scrubbed),
        _ => new SetPasswordResult.Failed(scrubbed),
    };

    private static T? Deserialize<T>(OktaReply.Answer answer, JsonTypeInfo<T> type) => Deserialize(answer.Body, type);

    // Answers are buffered once as bytes (a body may be read as a success or as an error) and read with the
    // same source-generated context Flurl's serializer wraps; a body that does not parse is data, not an exception.
    private static T? Deserialize<T>(byte[] body, JsonTypeInfo<T> type)
    {
        if (body.Length == 0)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Failures while connecting mean nothing was sent; anything later may have reached Okta.</summary>
    private static bool MayHaveBeenSent(HttpRequestException exception) => exception.HttpRequestError is not (
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError);

    /// <summary>The end user's IP and browser, which Okta shows on their phone; checked before anything is sent.</summary>
    private static string? PushContextProblem(PushRequestContext context)
    {
        if (string.IsNullOrWhiteSpace(context.UserAgent))
        {
            return "Okta requires the end user's User-Agent for a push";
        }

        if (context.UserAgent.Any(char.IsControl))
        {
            return "the end user's User-Agent contains control characters";
        }

        return IPAddress.TryParse(context.ClientIp, out _) ? null : "the end user's IP address is not an IP address";
    }

    private static Uri OrgUrlOf(IOptions<OktaOptions> options) => options.Value.OrgUrl ?? throw new InvalidOperationException("Okta:OrgUrl is not configured.");

    /// <summary>The person's language for Okta's SMS, voice and email templates; only a well-formed language tag is sent.</summary>
    private static IFlurlRequest InLanguage(IFlurlRequest request, string? language) =>
        language is not null && LanguageTag().IsMatch(language) ? request.WithHeader("Accept-Language", language) : request;

    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();

    /// <summary>The person's browser and address on a verify call; a value Okta could not use (or that could split a header) is left out.</summary>
    private static IFlurlRequest ForEndUser(IFlurlRequest request, OktaEndUser? endUser)
    {
        if (endUser is null)
        {
            return request;
        }

        var withAgent = endUser.UserAgent is { Length: > 0 } agent && agent != "-" && !agent.Any(char.IsControl)
            ? request.WithHeader("User-Agent", agent)
            : request;
        return IPAddress.TryParse(endUser.ClientIp, out var address) ? withAgent.WithHeader("X-Forwarded-For", address.ToString()) : withAgent;
    }

    private OktaRequest Get(Url url) => new(_flurl, HttpMethod.Get, url);

    private OktaRequest Delete(Url url) => new(_flurl, HttpMethod.Delete, url);

    /// <summary>A POST, with <paramref name="body"/> written as JSON by the source-generated serializer (<see cref="OktaFlurl"/>).</summary>
    private OktaRequest Post(Url url, object? body = null, Func<IFlurlRequest, IFlurlRequest>? withHeaders = null) => new(_flurl, HttpMethod.Post, url, body, withHeaders);

    /// <summary><c>/api/v1/{resource}</c> under the org URL.</summary>
    private Url Api(string resource) => new Url(_flurl.BaseUrl).AppendPathSegments("api", "v1", resource);

    /// <summary><c>/api/v1/users/{userId}</c> and <paramref name="below"/>, the id one fully encoded segment.</summary>
    private Url User(string userId, params string[] below) => Api("users").AppendPathSegment(Segment(userId), fullyEncode: true).AppendPathSegments(below);

    private Url Verify(string userId, string factorId) =>
        User(userId, "factors").AppendPathSegment(Segment(factorId), fullyEncode: true).AppendPathSegment("verify");

    private Url Policy(string policyId, string below) => Api("policies").AppendPathSegment(Segment(policyId), fullyEncode: true).AppendPathSegment(below);

    /// <summary>A push transaction's own link, as Okta gave it; only followed once <see cref="PollHref"/> has accepted it (plain segments, no query).</summary>
    private static Url Transaction(PushPollHandle handle) => new(handle.Href);

    /// <summary>
    /// An id or login for one path segment, sent fully encoded. One <see cref="OktaPathSegment.CanName"/>
    /// refuses is a caller's bug (typed input is checked before the call), so it throws.
    /// </summary>
    private static string Segment(string value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return OktaPathSegment.CanName(value)
            ? value
            : throw new ArgumentException("Not an Okta id or login: a path segment of dots only.", name);
    }
}
