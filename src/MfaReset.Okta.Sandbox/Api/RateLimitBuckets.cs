using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>What one request learned about its bucket: the <c>X-Rate-Limit-*</c> values.</summary>
internal readonly record struct RateLimitState(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt)
{
    public long ResetEpochSeconds => (ResetAt.ToUnixTimeMilliseconds() + 999) / 1000;
}

/// <summary>
/// Okta's org-wide buckets: a fixed window of one minute that starts with the first request after the
/// previous window ended (Okta's windows are not aligned to clock minutes).
/// </summary>
internal sealed class RateLimitBuckets(SandboxRateLimitOptions options, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Bucket _userReads = new(options.UserReadsPerMinute);
    private readonly Bucket _userWrites = new(options.UserWritesPerMinute);
    private readonly Bucket _other = new(options.OtherPerMinute);

    /// <summary>Takes one request from the operation's bucket.</summary>
    public RateLimitState Take(string operation) => BucketFor(operation).Take(clock.GetUtcNow(), options.Enforce);

    public void Reset()
    {
        _userReads.Reset();
        _userWrites.Reset();
        _other.Reset();
    }

    private Bucket BucketFor(string operation) => operation switch
    {
        OktaOperations.GetUser => _userReads,
        OktaOperations.UpdateUser => _userWrites,
        _ => _other,
    };

    private sealed class Bucket(int limit)
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
        private int _used;

        public RateLimitState Take(DateTimeOffset now, bool enforce)
        {
            lock (_gate)
            {
                if (now >= _windowStart + Window)
                {
                    _windowStart = now;
                    _used = 0;
                }

                var allowed = !enforce || _used < limit;
                if (allowed)
                {
                    _used++;
                }

                return new RateLimitState(allowed, limit, Math.Max(0, limit - _used), _windowStart + Window);
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _windowStart = DateTimeOffset.MinValue;
                _used = 0;
            }
        }
    }
}
