using MfaReset.Web.Hosting;

namespace MfaReset.Web.Preflight;

/// <summary>
/// <c>MfaReset.Web check-okta</c>: before a rollout, the operator runs <see cref="OktaPreflight"/> with the portal's own
/// configuration (appsettings, environment, <c>--Setting=value</c> arguments) and reads one line per Okta read; the
/// portal itself is not started (docs/okta-setup.md, "Before the rollout: check-okta").
/// </summary>
public static class PreflightCommand
{
    public const string CheckOkta = "check-okta";

    /// <summary>Every read the portal needs is allowed and no rule makes it fail closed.</summary>
    public const int AllFine = 0;

    /// <summary>Something the portal needs is missing or unreachable, or a rule makes it fail closed.</summary>
    public const int SomethingMissing = 1;

    /// <summary>A usage or configuration problem: no Okta was asked.</summary>
    public const int ConfigurationInvalid = 2;

    /// <summary>Whether <paramref name="args"/> name this command rather than starting the portal.</summary>
    public static bool IsCommand(string[] args) => args is [CheckOkta, ..];

    /// <summary>Runs the checks and prints them; the exit code is <see cref="AllFine"/>, <see cref="SomethingMissing"/> or <see cref="ConfigurationInvalid"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args is not [CheckOkta, .. var settings] || settings.Any(setting => !setting.StartsWith("--", StringComparison.Ordinal)))
        {
            await output.WriteLineAsync("Usage: MfaReset.Web check-okta [--Setting=value ...]").ConfigureAwait(false);
            return ConfigurationInvalid;
        }

        var builder = WebApplication.CreateBuilder(settings);
        builder.AddPortalLogging();
        builder.Services.AddOktaClient();
        builder.Services.AddSingleton<OktaPreflight>();
        await using var app = builder.Build();
        OktaPreflight preflight;
        try
        {
            preflight = app.Services.GetRequiredService<OktaPreflight>();
            _ = app.Services.GetRequiredService<IOptions<OktaOptions>>().Value;
        }
        catch (OptionsValidationException invalid)
        {
            // The portal's own start rules: the operator is told which setting, not shown a stack trace.
            await output.WriteLineAsync("The configuration is not valid: " + string.Join(" ", invalid.Failures)).ConfigureAwait(false);
            return ConfigurationInvalid;
        }

        var report = await preflight.RunAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var line in report.Lines)
        {
            await output.WriteLineAsync(line.ToString()).ConfigureAwait(false);
        }

        return report.AllFine ? AllFine : SomethingMissing;
    }
}
