namespace MfaReset.LoadTest.Browser;

/// <summary>The connections the virtual browsers share.</summary>
internal static class Browsers
{
    /// <summary>
    /// A client that leaves redirects and cookies to <see cref="BrowserSession"/>, never times out on its
    /// own (a slow page is a measurement, not an error), and caps connections so that thousands of
    /// waiting browsers fit in the process's file descriptors alongside the portal's own sockets.
    /// </summary>
    public static HttpClient NewHttpClient(int maxConnections = 1024) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };
}
