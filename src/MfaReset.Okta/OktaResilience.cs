using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MfaReset.Okta;

/// <summary>
/// The two resilience pipelines, one per kind of call, so which calls may be repeated is decided in
/// one visible place:
/// <list type="bullet">
/// <item><see cref="Idempotent"/> (GETs, the sessions DELETE): overall budget, then retries on 5xx,
/// timeouts and connection failures with jittered backoff, and on 429 a wait until
/// <c>X-Rate-Limit-Reset</c> when that fits the budget; each attempt has its own timeout.</item>
/// <item><see cref="Unsafe"/> (every POST): one attempt with a timeout. A repeated POST could send a
/// second SMS, a second push or set a password twice.</item>
/// </list>
/// </summary>
internal sealed class OktaResilience
{
    private static readonly ResiliencePropertyKey<long> StartedAtKey = new("MfaReset.Okta.StartedAt");
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan BackoffCeiling = TimeSpan.FromSeconds(4);

    private readonly TimeSpan _totalBudget;
    private readonly ILogger _logger;

    public OktaResilience(OktaOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Time = time;
        _totalBudget = options.TotalBudget;
        _logger = logger;
        Idempotent = BuildIdempotent(options);
        Unsafe = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public TimeProvider Time { get; }

    public ResiliencePipeline<HttpResponseMessage> Idempotent { get; }

    public ResiliencePipeline<HttpResponseMessage> Unsafe { get; }

    /// <summary>A context for one client call; the budget is measured from now.</summary>
    public ResilienceContext StartCall(string operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, continueOnCapturedContext: false, cancellationToken);
        context.Properties.Set(StartedAtKey, Time.GetTimestamp());
        return context;
    }

    private ResiliencePipeline<HttpResponseMessage> BuildIdempotent(OktaOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = Time }
            .AddTimeout(options.TotalBudget);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BackoffBase,
                MaxDelay = BackoffCeiling,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } throttled
                    ? RateLimitWait(throttled)
                    : null),
                OnRetry = args =>
                {
                    OktaClientLog.Retrying(_logger, args.Context.OperationKey ?? "call", args.AttemptNumber + 1, Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: >= HttpStatusCode.InternalServerError } => true,
        { Result: { StatusCode: HttpStatusCode.TooManyRequests } throttled } => RateLimitWait(throttled) is { } wait && wait < RemainingBudget(context),
        _ => false,
    };

    private TimeSpan? RateLimitWait(HttpResponseMessage throttled) =>
        RateLimitHeaders.WaitBeforeRetry(RateLimitHeaders.Read(throttled.Headers), throttled.Headers.Date, Time.GetUtcNow());

    private TimeSpan RemainingBudget(ResilienceContext context) =>
        context.Properties.TryGetValue(StartedAtKey, out var startedAt)
            ? _totalBudget - Time.GetElapsedTime(startedAt)
            : TimeSpan.Zero;

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => "a timeout",
        { Exception: HttpRequestException } => "a connection failure",
        { Result: { } response } => $"HTTP {(int)response.StatusCode}",
        _ => "a failure",
    };
}
