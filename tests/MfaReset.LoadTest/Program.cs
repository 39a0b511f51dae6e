namespace MfaReset.LoadTest;

/// <summary>
/// The driver's entry point. Not top-level statements: those would declare a global <c>Program</c> that
/// hides the portal's, which <see cref="Hosting.PortalFactory"/> hosts.
/// </summary>
internal static class DriverProgram
{
    public static async Task<int> Main(string[] args)
    {
        DriverOptions options;
        try
        {
            options = DriverOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(DriverOptions.Usage).ConfigureAwait(false);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var report = await LoadDriver.RunAsync(options, Console.Out, cancel.Token).ConfigureAwait(false);
        return report.Succeeded ? 0 : 1;
    }
}
