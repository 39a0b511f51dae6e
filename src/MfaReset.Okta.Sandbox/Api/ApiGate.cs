using System.Security.Cryptography;
using System.Text;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.OAuth;
using MfaReset.Okta.Sandbox.Org;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>Marks an API endpoint with Okta's operation id, for counting, buckets and scripts.</summary>
/// <param name="Name">One of <see cref="OktaOperations"/>.</param>
internal sealed record OktaOperationMetadata(string Name);

/// <summary>
/// What every Okta API call goes through before its handler: counting, latency, the SSWS or OAuth token check (scopes included),
/// <c>X-Rate-Limit-*</c> headers and bucket enforcement, and the scripted and random faults.
/// </summary>
internal sealed class ApiGate(RequestDelegate next, SandboxOrg org, CallCounter calls, RateLimitBuckets buckets, FaultDice dice, ApiAuthorization authorization, ILogger<ApiGate> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<OktaOperationMetadata>()?.Name ?? OktaOperations.Unknown;
        var user = FindUser(context.Request.RouteValues);
        calls.Count(operation, user?.Seed.Login);

        await DelayAsync(dice.Latency(), context.RequestAborted).ConfigureAwait(false);

        var rate = buckets.Take(operation);
        var response = context.Response;
        response.Headers.Date = org.Clock.GetUtcNow().ToString("r");
        response.Headers["X-Okta-Request-Id"] = FactorVerifier.RandomId(27);
        response.Headers.XContentTypeOptions = "nosniff";

        if (await authorization.CheckAsync(context.Request, operation).ConfigureAwait(false) is { } refused)
        {
            await WriteAsync(context, rate, refused).ConfigureAwait(false);
            return;
        }

        var script = user is null ? ScriptedCallFault.None : TakeScript(user, operation);
        if (script == ScriptedCallFault.Slow)
        {
            await DelayAsync(org.Options.Faults.SlowCallDelay, context.RequestAborted).ConfigureAwait(false);
        }

        if (!rate.Allowed)
        {
            await WriteAsync(context, rate, OktaErrors.RateLimited()).ConfigureAwait(false);
            return;
        }

        if (script == ScriptedCallFault.TooManyRequests || dice.Roll(org.Options.Faults.RateLimitRate))
        {
            Log.FaultInjected(logger, StatusCodes.Status429TooManyRequests, operation, script == ScriptedCallFault.None ? "configured rate" : "scripted");
            // Reported like a real exhausted bucket: its limit and reset time, nothing remaining.
            await WriteAsync(context, rate with { Remaining = 0 }, OktaErrors.RateLimited()).ConfigureAwait(false);
            return;
        }

        if (ScriptedAnswer(script, rate) is { } scripted)
        {
            Log.FaultInjected(logger, scripted.Status, operation, "scripted");
            await WriteAsync(context, scripted.Rate, scripted.Answer).ConfigureAwait(false);
            return;
        }

        if (script == ScriptedCallFault.ServerError || dice.Roll(org.Options.Faults.ServerErrorRate))
        {
            Log.FaultInjected(logger, StatusCodes.Status500InternalServerError, operation, script == ScriptedCallFault.None ? "configured rate" : "scripted");
            await WriteAsync(context, rate, OktaErrors.ServerError()).ConfigureAwait(false);
            return;
        }

        SetRateLimitHeaders(response, rate);
        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The scripted refusals that are not outages: the answer, its status for the log, and the rate-limit headers it
    /// carries. A concurrency 429 reports <c>Limit: 0</c> and <c>Remaining: 0</c>; a per-user 429 reports the org's
    /// bucket as it is, with room left, since Okta's headers never describe a per-user limit.
    /// </summary>
    private static (int Status, RateLimitState Rate, IResult Answer)? ScriptedAnswer(ScriptedCallFault script, RateLimitState rate) => script switch
    {
        ScriptedCallFault.ConcurrencyLimit => (429, rate with { Limit = 0, Remaining = 0 }, OktaErrors.RateLimited()),
        ScriptedCallFault.UserRateLimit => (429, rate, OktaErrors.RateLimited()),
        ScriptedCallFault.CallRateLimit => (403, rate, OktaErrors.CallRateLimit()),
        ScriptedCallFault.InternationalPhoneNotAllowed => (403, rate, OktaErrors.InternationalPhoneNotAllowed()),
        ScriptedCallFault.TelephonyOptOut => (400, rate, OktaErrors.TelephonyOptOut()),
        ScriptedCallFault.NotAllowedInStatus => (403, rate, OktaErrors.NotAllowedInStatus()),
        ScriptedCallFault.UnlockNotAllowed => (403, rate, OktaErrors.UnlockNotAllowed()),
        ScriptedCallFault.UserBeingActivated => (409, rate, OktaErrors.UserBeingActivated()),
        ScriptedCallFault.AdditionalChallenge => (409, rate, OktaErrors.AdditionalChallenge()),
        _ => null,
    };

    private OrgUser? FindUser(RouteValueDictionary route) =>
        route.TryGetValue("userId", out var userId) ? org.FindById((string)userId!)
        : route.TryGetValue("id", out var idOrLogin) ? org.FindByIdOrLogin((string)idOrLogin!)
        : null;

    private static ScriptedCallFault TakeScript(OrgUser user, string operation)
    {
        lock (user.Gate)
        {
            if (user.NextCallOperation is { } only && only != operation)
            {
                return ScriptedCallFault.None;
            }

            var script = user.NextCall;
            user.NextCall = ScriptedCallFault.None;
            user.NextCallOperation = null;
            return script;
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, org.Clock, cancellationToken) : Task.CompletedTask;

    private static Task WriteAsync(HttpContext context, RateLimitState rate, IResult result)
    {
        SetRateLimitHeaders(context.Response, rate);
        return result.ExecuteAsync(context);
    }

    private static void SetRateLimitHeaders(HttpResponse response, RateLimitState rate)
    {
        response.Headers["X-Rate-Limit-Limit"] = rate.Limit.ToString();
        response.Headers["X-Rate-Limit-Remaining"] = rate.Remaining.ToString();
        response.Headers["X-Rate-Limit-Reset"] = rate.ResetEpochSeconds.ToString();
    }
}

/// <summary>The configured API token, compared in constant time.</summary>
internal sealed class ApiToken(string value)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("SSWS " + value);

    public string Value { get; } = value;

    public bool Matches(string? authorization) =>
        authorization is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization), _expected);

    public override string ToString() => "ApiToken";
}

/// <summary>The random side of fault injection; seeded from options for reproducible runs.</summary>
internal sealed class FaultDice(SandboxFaultOptions options)
{
    private readonly Lock _gate = new();
    private readonly Random _random = options.RandomSeed is { } seed ? new Random(seed) : new Random();

    /// <summary>True with probability <paramref name="rate"/>.</summary>
    public bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _random.NextDouble() < rate;
        }
    }

    /// <summary>The configured latency plus a uniform share of the jitter.</summary>
    public TimeSpan Latency()
    {
        if (options.LatencyJitter <= TimeSpan.Zero)
        {
            return options.Latency;
        }

        lock (_gate)
        {
            return options.Latency + options.LatencyJitter * _random.NextDouble();
        }
    }
}
