using Microsoft.Extensions.Logging;

namespace MfaReset.Okta;

/// <summary>
/// Keeps the latest <c>X-Rate-Limit-*</c> reading per <see cref="OktaQuotaBucket"/>. Readings are
/// kept per window (Okta's reset instant): within one window the lowest <c>Remaining</c> wins, since
/// answers to concurrent calls can arrive out of order; a later window replaces an earlier one; an
/// answer from an earlier window is ignored. Calls sent and not yet answered count against what a
/// bucket has left (<see cref="Sending"/>, <see cref="Answered"/>): a burst that arrives while a bucket is
/// just above the margin is refused once its own calls in flight would take it below. It also keeps the
/// portal's own allowance per bucket (<see cref="TryTakeAllowance"/>): calls taken per one-minute window on
/// this server's clock, against a share of the limit Okta last reported, kept after its window ends.
/// </summary>
internal sealed class OktaQuotaMonitor(OktaOptions options, TimeProvider time, ILogger logger) : IOktaQuotaMonitor
{
    /// <summary>The buckets a new flow spends before anything is verified (see <see cref="IOktaQuotaMonitor.IsLow"/>).</summary>
    private static readonly OktaQuotaBucket[] FlowStartBuckets = [OktaQuotaBucket.UserLookup, OktaQuotaBucket.Factors];

    private readonly double _lowFraction = options.LowQuotaFraction;
    private readonly Lock _gate = new();
    private readonly Dictionary<OktaQuotaBucket, Window> _windows = [];
    private readonly Dictionary<OktaQuotaBucket, int> _inFlight = [];
    private readonly double _portalShare = options.PortalBucketShare;
    private readonly Dictionary<OktaQuotaBucket, (long Minute, int Taken)> _allowanceTaken = [];

    public bool IsLow => LowUntil is not null;

    public DateTimeOffset? LowUntil
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                return FlowStartBuckets
                    .Select(bucket => (Window: _windows.GetValueOrDefault(bucket), InFlight: _inFlight.GetValueOrDefault(bucket)))
                    .Where(b => b.Window is not null && b.Window.IsLowAt(now, _lowFraction, b.InFlight))
                    .Max(b => (DateTimeOffset?)b.Window!.Reading.ResetsAt);
            }
        }
    }

    public IReadOnlyList<OktaQuotaReading> Readings
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                return [.. _windows.Values.Where(w => w.Reading.ResetsAt > now).Select(w => w.Reading).OrderBy(r => r.Bucket)];
            }
        }
    }

    public DateTimeOffset? TryTakeAllowance(OktaQuotaBucket bucket)
    {
        var minute = time.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;
        lock (_gate)
        {
            var (seenMinute, taken) = _allowanceTaken.GetValueOrDefault(bucket);
            taken = seenMinute == minute ? taken : 0;
            if (AllowanceOf(bucket) is { } allowance && taken >= allowance)
            {
                return MinuteEnd(minute);
            }

            _allowanceTaken[bucket] = (minute, taken + 1);
            return null;
        }
    }

    public DateTimeOffset? AllowanceSpentUntil
    {
        get
        {
            var minute = time.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;
            lock (_gate)
            {
                return _allowanceTaken.Any(t => t.Value.Minute == minute && AllowanceOf(t.Key) is { } allowance && t.Value.Taken >= allowance)
                    ? MinuteEnd(minute)
                    : null;
            }
        }
    }

    /// <summary>The portal's calls per minute in <paramref name="bucket"/>, at least one; null before Okta has reported it. Under the lock.</summary>
    private int? AllowanceOf(OktaQuotaBucket bucket) =>
        _windows.GetValueOrDefault(bucket) is { } window ? Math.Max(1, (int)(window.Reading.Limit * _portalShare)) : null;

    private static DateTimeOffset MinuteEnd(long minute) => new((minute + 1) * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    /// <summary>An attempt of a call of <paramref name="bucket"/> is about to be sent; <see cref="Answered"/> must follow.</summary>
    public void Sending(OktaQuotaBucket bucket)
    {
        lock (_gate)
        {
            _inFlight[bucket] = _inFlight.GetValueOrDefault(bucket) + 1;
        }
    }

    /// <summary>The attempt announced by <see cref="Sending"/> is over, answered or not.</summary>
    public void Answered(OktaQuotaBucket bucket)
    {
        lock (_gate)
        {
            _inFlight[bucket] = Math.Max(0, _inFlight.GetValueOrDefault(bucket) - 1);
        }
    }

    /// <summary>
    /// Takes the headers of one Okta answer. <c>X-Rate-Limit-Limit: 0</c> comes with a concurrency
    /// 429: it describes the org's simultaneous requests, not the bucket, and its reset is only an
    /// estimate, so it leaves the bucket's reading as it was (the in-flight cap deals with concurrency).
    /// </summary>
    public void Observe(OktaQuotaBucket bucket, RateLimitInfo? rateLimit, DateTimeOffset? oktaDate)
    {
        if (rateLimit is not { Limit: { } limit, Remaining: { } remaining, ResetAt: { } oktaReset } || limit == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var resetsAt = now + RateLimitHeaders.WaitBeforeRetry(rateLimit, oktaDate, now)!.Value;
        bool becameLow;
        Window current;
        lock (_gate)
        {
            var previous = _windows.GetValueOrDefault(bucket);
            current = previous switch
            {
                null => new Window(oktaReset, new OktaQuotaReading(bucket, limit, remaining, resetsAt)),
                _ when oktaReset > previous.OktaReset => new Window(oktaReset, new OktaQuotaReading(bucket, limit, remaining, resetsAt)),
                _ when oktaReset == previous.OktaReset && remaining < previous.Reading.Remaining =>
                    previous with { Reading = previous.Reading with { Limit = limit, Remaining = remaining } },
                _ => previous,
            };
            _windows[bucket] = current;
            var inFlight = _inFlight.GetValueOrDefault(bucket);
            becameLow = current.IsLowAt(now, _lowFraction, inFlight) && previous?.IsLowAt(now, _lowFraction, inFlight) != true;
        }

        if (becameLow)
        {
            OktaClientLog.QuotaLow(logger, bucket, current.Reading.Remaining, current.Reading.Limit, current.Reading.ResetsAt);
        }
    }

    /// <param name="OktaReset">Okta's own reset instant, which names the window.</param>
    private sealed record Window(DateTimeOffset OktaReset, OktaQuotaReading Reading)
    {
        public bool IsLowAt(DateTimeOffset now, double lowFraction, int inFlight) =>
            now < Reading.ResetsAt && Reading.Remaining - inFlight < lowFraction * Reading.Limit;
    }
}
