namespace MfaReset.Web.Reset.OktaCalls;

/// <summary>
/// Remembers recent Okta latencies per operation and delays a decoy step by a random one of them, so a
/// step that makes no Okta call (unknown user, factor not enrolled) takes as long as one that does:
/// the whole distribution matches, not only the median. Before any real call it uses
/// <see cref="ResetOptions.DefaultOktaLatency"/>.
/// </summary>
public sealed class OktaLatency(TimeProvider timeProvider, IOptions<ResetOptions> options)
{
    private const int Window = 64;
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(5);

    private readonly Samples[] _samples = [.. Enum.GetValues<FlowOktaCall>().Select(_ => new Samples())];

    /// <summary>Runs <paramref name="call"/> and remembers how long it took.</summary>
    public async Task<T> MeasureAsync<T>(FlowOktaCall operation, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = timeProvider.GetTimestamp();
        var result = await call().ConfigureAwait(false);
        _samples[(int)operation].Add(timeProvider.GetElapsedTime(started));
        return result;
    }

    /// <summary>Waits as long as a real <paramref name="operation"/> recently took.</summary>
    public Task PadAsync(FlowOktaCall operation, CancellationToken cancellationToken)
    {
        var delay = _samples[(int)operation].Pick() ?? options.Value.DefaultOktaLatency;
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, timeProvider, cancellationToken);
    }

    private sealed class Samples
    {
        private readonly Lock _gate = new();
        private readonly TimeSpan[] _ring = new TimeSpan[Window];
        private int _count;
        private int _next;

        public void Add(TimeSpan elapsed)
        {
            lock (_gate)
            {
                _ring[_next] = elapsed < Ceiling ? elapsed : Ceiling;
                _next = (_next + 1) % Window;
                _count = Math.Min(_count + 1, Window);
            }
        }

        public TimeSpan? Pick()
        {
            lock (_gate)
            {
                // Not security-sensitive: any recent sample will do, the point is matching the distribution.
#pragma warning disable CA5394
                return _count == 0 ? null : _ring[Random.Shared.Next(_count)];
#pragma warning restore CA5394
            }
        }
    }
}
