using MfaReset.Web.Reset;

namespace MfaReset.Web.Hosting;

/// <summary>
/// The help desk's command line, run with the portal's own configuration (appsettings, environment):
/// <c>MfaReset.Web lift-pause &lt;username&gt;</c> lifts that person's verification pause in the shared flow
/// store (<see cref="PauseLift"/>) and exits; the portal itself is not started.
/// </summary>
public static class HelpDeskCommand
{
    public const string LiftPause = "lift-pause";

    /// <summary>Whether <paramref name="args"/> name a help-desk command rather than starting the portal.</summary>
    public static bool IsCommand(string[] args) => args is [LiftPause, ..];

    /// <summary>Runs the command; the exit code: 0 lifted, 1 Okta could not be asked, 2 a usage or configuration problem.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args is not [LiftPause, var username, .. var settings] || string.IsNullOrWhiteSpace(username) || username.StartsWith('-'))
        {
            await output.WriteLineAsync("Usage: MfaReset.Web lift-pause <username> [--Setting=value ...]").ConfigureAwait(false);
            return 2;
        }

        var builder = WebApplication.CreateBuilder(settings);
        builder.AddPortalLogging();
        builder.Services.AddOktaClient();
        builder.Services.AddFlowStore();
        builder.Services.AddResetFlow();
        await using var app = builder.Build();
        FlowStoreOptions store;
        try
        {
            store = app.Services.GetRequiredService<IOptions<FlowStoreOptions>>().Value;
        }
        catch (OptionsValidationException invalid)
        {
            // The same rules as the portal's start: the operator is told which setting, not shown a stack trace.
            await output.WriteLineAsync("The configuration is not valid: " + string.Join(" ", invalid.Failures)).ConfigureAwait(false);
            return 2;
        }

        if (store.Provider != FlowStoreProvider.PostgreSql)
        {
            // The in-memory store lives in the running portal's process, out of this command's reach.
            await output.WriteLineAsync("FlowStore:Provider is InMemory: pauses live in the running portal's memory, which this command cannot reach. Restarting the portal lifts every pause.").ConfigureAwait(false);
            return 2;
        }

        using var scope = app.Services.CreateScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<PauseLift>().LiftAsync(username, CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync(outcome switch
        {
            PauseLiftOutcome.Lifted => "Lifted: the account's verification pause is over; the person can verify with a code again.",
            PauseLiftOutcome.NoSuchAccount => "Okta knows no such account: the pause of that typed username is lifted.",
            _ => "Okta could not be asked: only the typed username's pause is lifted. Run the command again when Okta answers.",
        }).ConfigureAwait(false);
        return outcome == PauseLiftOutcome.OktaUnavailable ? 1 : 0;
    }
}
