using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MfaReset.Okta;

/// <summary>
/// How the client protects itself and Okta. Two resilience pipelines, one per kind of call, so which
/// calls may be repeated is decided in one visible place:
/// <list type="bullet">
/// <item><see cref="Idempotent"/> (GETs, the sessions DELETE): overall budget, then retries on 5xx,
/// timeouts and connection failures with jittered backoff, and on 429 a wait until
/// <c>X-Rate-Limit-Reset</c> when that fits the budget; each attempt has its own timeout.</item>
/// <item><see cref="Unsafe"/> (every POST): one attempt with a timeout. A repeated POST could send a
/// second SMS, a second push or set a password twice.</item>
/// </list>
/// Every attempt of either kind goes through <see cref="SendAttemptAsync"/>: the circuit breaker, then
/// the in-flight cap, then the request; its outcome feeds the breaker and the quota monitor.
/// </summary>
internal sealed class OktaResilience : IOktaHealth, IDisposable
{
    private static readonly ResiliencePropertyKey<long> StartedAtKey = new("MfaReset.Okta.StartedAt");
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan BackoffCeiling = TimeSpan.FromSeconds(4);

    private readonly TimeSpan _totalBudget;
    private readonly ILogger _logger;
    private readonly OktaCircuitBreaker _breaker;
    private readonly OktaInFlightLimit _inFlight;
    private readonly OktaQuotaMonitor _quota;

    public OktaResilience(OktaOptions options, TimeProvider time, OktaQuotaMonitor quota, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Time = time;
        _totalBudget = options.TotalBudget;
        _logger = logger;
        _quota = quota;
        _breaker = new OktaCircuitBreaker(options, time, logger);
        _inFlight = new OktaInFlightLimit(options, time);
        Idempotent = BuildIdempotent(options);
        Unsafe = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public TimeProvider Time { get; }

    public bool CircuitOpen => _breaker.IsBroken;

    public ResiliencePipeline<HttpResponseMessage> Idempotent { get; }

    public ResiliencePipeline<HttpResponseMessage> Unsafe { get; }

    /// <summary>A context for one client call; the budget is measured from now.</summary>
    public ResilienceContext StartCall(string operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, continueOnCapturedContext: false, cancellationToken);
        context.Properties.Set(StartedAtKey, Time.GetTimestamp());
        return context;
    }

    /// <summary>
    /// Sends one attempt of <paramref name="call"/>, or throws <see cref="OktaCallRefusedException"/>
    /// without sending when the circuit is open or no in-flight slot frees within the queue timeout.
    /// </summary>
    public async ValueTask<HttpResponseMessage> SendAttemptAsync(OktaCall call, CancellationToken attemptToken)
    {
        var admission = _breaker.TryEnter();
        if (admission == CircuitAdmission.Refused)
        {
            throw new OktaCallRefusedException(OktaUnavailableKind.CircuitOpen);
        }

        bool hasSlot;
        try
        {
            hasSlot = await _inFlight.TryEnterAsync(attemptToken).ConfigureAwait(false);
        }
        catch
        {
            _breaker.Abandoned(admission);
            throw;
        }

        if (!hasSlot)
        {
            _breaker.Abandoned(admission);
            throw new OktaCallRefusedException(OktaUnavailableKind.InFlightLimit);
        }

        _quota.Sending(call.Operation.Bucket);
        var answered = false;
        try
        {
            var response = await call.SendNextAttemptAsync(attemptToken).ConfigureAwait(false);
            // No longer in flight: the answer's own X-Rate-Limit-Remaining already counts it.
            _quota.Answered(call.Operation.Bucket);
            answered = true;
            Observe(call, response);
            return response;
        }
        catch (OktaTokenUnavailableException)
        {
            // No token, so the request never left; the token endpoint's failure is not the API's.
            call.Withdraw();
            _breaker.Abandoned(admission);
            throw;
        }
        catch (Exception exception) when (IsOktaFailure(exception, call))
        {
            _breaker.Failed();
            throw;
        }
        catch
        {
            // The caller cancelled, or a bug refused the request: nothing was learned about Okta.
            _breaker.Abandoned(admission);
            throw;
        }
        finally
        {
            if (!answered)
            {
                _quota.Answered(call.Operation.Bucket);
            }

            _inFlight.Exit();
        }
    }

    public void Dispose() => _inFlight.Dispose();

    private void Observe(OktaCall call, HttpResponseMessage response)
    {
        if (response.StatusCode >= HttpStatusCode.InternalServerError)
        {
            _breaker.Failed();
        }
        else
        {
            _breaker.Succeeded();
        }

        _quota.Observe(call.Operation.Bucket, RateLimitHeaders.Read(response.Headers), response.Headers.Date);
    }

    /// <summary>A connection failure, or a timeout (the pipeline's or HttpClient's) rather than the caller's cancellation.</summary>
    private static bool IsOktaFailure(Exception exception, OktaCall call) => exception switch
    {
        HttpRequestException => true,
        OperationCanceledException => !call.CallerToken.IsCancellationRequested,
        _ => false,
    };

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
                    OktaClientLog.Retrying(
                        _logger, args.Context.OperationKey ?? "call", args.AttemptNumber + 1, Describe(args.Outcome),
                        args.Outcome.Result is { } response ? OktaClientLog.RequestIdOf(response) : null, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>Failures are retried unless they have just opened the circuit; a refused attempt is never retried.</summary>
    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => !_breaker.IsBroken,
        { Result.StatusCode: >= HttpStatusCode.InternalServerError } => !_breaker.IsBroken,
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
