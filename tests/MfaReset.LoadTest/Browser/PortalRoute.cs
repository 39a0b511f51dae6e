namespace MfaReset.LoadTest.Browser;

/// <summary>
/// Several portal instances behind one address, as behind a load balancer that forwards the <c>Host</c>
/// header: the browser addresses the front (its cookies, <c>Origin</c> and <c>Referer</c> are the front's),
/// and each request to the front goes to the instance the route picks, with the front's <c>Host</c>. Other
/// addresses are left alone.
/// </summary>
internal sealed class PortalRoute
{
    private readonly Uri _front;
    private readonly Uri[] _instances;
    private long _next = -1;

    private PortalRoute(Uri front, Uri[] instances)
    {
        _front = front;
        _instances = instances;
    }

    /// <summary>Every request to <paramref name="front"/> goes to <paramref name="instance"/>.</summary>
    public static PortalRoute To(Uri front, Uri instance) => new(front, [instance]);

    /// <summary>
    /// No affinity: each request to <paramref name="front"/>, of whichever browser, goes to the next instance
    /// in turn, so one person's pages land on all of them.
    /// </summary>
    public static PortalRoute RoundRobin(Uri front, IReadOnlyList<Uri> instances) =>
        instances.Count > 0 ? new(front, [.. instances]) : throw new ArgumentException("A route needs an instance.", nameof(instances));

    /// <summary>Where a request for <paramref name="url"/> is sent: the same path and query on the picked instance.</summary>
    public Uri Pick(Uri url)
    {
        if (!string.Equals(url.Authority, _front.Authority, StringComparison.OrdinalIgnoreCase) || url.Scheme != _front.Scheme)
        {
            return url;
        }

        var instance = _instances.Length == 1 ? _instances[0] : _instances[Interlocked.Increment(ref _next) % _instances.Length];
        return new UriBuilder(url) { Scheme = instance.Scheme, Host = instance.Host, Port = instance.Port }.Uri;
    }
}
