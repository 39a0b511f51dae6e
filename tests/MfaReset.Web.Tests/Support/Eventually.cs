namespace MfaReset.Web.Tests.Support;

/// <summary>Waits, in real time and briefly, for another thread to reach a point: never for time to pass.</summary>
public static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(5, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting until {what}.");
            }
        }
    }
}
