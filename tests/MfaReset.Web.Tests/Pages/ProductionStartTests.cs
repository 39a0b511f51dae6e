using System.Diagnostics;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The portal's process as an operator starts it: without an Okta org outside Development it refuses in one line.</summary>
public sealed class ProductionStartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(null)]
    [InlineData("OrgURI")] // a misspelt setting reads as no org at all
    public async Task AProductionStartWithoutAnOrgExitsNonZeroWithOneLineNamingTheSetting(string? misspeltKey)
    {
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        if (misspeltKey is not null)
        {
            environment[$"Okta__{misspeltKey}"] = "https://example.okta.com";
        }

        using var portal = StartPortal(environment);
        var stderr = portal.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = portal.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await portal.WaitForExitAsync(new CancellationTokenSource(Patience).Token);

        Assert.Equal(1, portal.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("MfaReset will not start: Okta:OrgUrl is not set (environment variable Okta__OrgUrl)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox at", await stdout, StringComparison.Ordinal); // nothing of the emulator started
    }

    [Theory]
    [InlineData("Sandbox__AllMethods", "true",
        "Sandbox:AllMethods is a switch of the demo emulator; with an Okta org list the methods in Reset:EnabledFactorKinds.")]
    [InlineData("Benchmark__LongPushWaits", "true",
        "Benchmark:LongPushWaits is the load driver's switch for the Okta sandbox (pushes pending longer than Okta's 5 minutes); remove it to use the Okta org at Okta:OrgUrl.")]
    public async Task ASandboxOnlySwitchWithARealOrgStopsTheStartInOneLine(string variable, string value, string refusal)
    {
        using var portal = StartPortal(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Okta__OrgUrl"] = "https://example.okta.com",
            ["Okta__ApiToken"] = "not-a-real-token",
            [variable] = value,
            // What the load driver's switch is for: without the refusal, this would be accepted.
            ["Reset__PushLifetime"] = "01:00:00",
        });
        var stderr = portal.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = portal.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await portal.WaitForExitAsync(new CancellationTokenSource(Patience).Token);

        Assert.Equal(1, portal.ExitCode);
        Assert.Equal(["MfaReset will not start: " + refusal], (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Process StartPortal(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(typeof(MfaReset.Web.Hosting.SandboxInfo).Assembly.Location);
        // Nothing of the test run's own settings: only what this test names.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Okta__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("Sandbox__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Benchmark__", StringComparison.OrdinalIgnoreCase) || k.EndsWith("_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}
