namespace MfaReset.Testing;

/// <summary>
/// One host built at a time in a test process.
/// </summary>
/// <remarks>
/// <c>WebApplicationFactory</c> finds the app it tests by listening to every host built anywhere in the
/// process (the "Microsoft.Extensions.Hosting" diagnostic events) until its own is built. A host that a
/// test running in parallel builds in that window (an Okta sandbox, standalone or embedded in another
/// portal) receives the factory's configuration: a second Kestrel endpoint, the factory's test services,
/// and the factory may even take it for its app. The sandbox then failed now and then with "Sequence
/// contains more than one element" on its addresses. Every factory start and every sandbox start in a
/// test process goes through this gate, so no build ever meets another factory's listener.
/// </remarks>
public static class HostBuilds
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Runs <paramref name="build"/> while no other host is being built in this process.</summary>
    public static T OneAtATime<T>(Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        Gate.Wait();
        try
        {
            return build();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Awaits <paramref name="build"/> while no other host is being built in this process.</summary>
    public static async Task<T> OneAtATimeAsync<T>(Func<Task<T>> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await build().ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }
}
