using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Preflight;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace MfaReset.Web.Tests.Preflight;

/// <summary>The portal with the preflight at start switched on, as in production.</summary>
public class PreflightOnPortal : PortalApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Preflight:AtStart"] = "true" };
}

/// <summary>As <see cref="PreflightOnPortal"/>, with an admin role that may not read role assignments.</summary>
public sealed class PreflightWithoutRolesPortal : PreflightOnPortal
{
    protected override void ConfigureSandbox(SandboxOptions options) => options.ServiceApp.DeniedOperations = ["listAssignedRolesForUser"];
}

/// <summary>
/// The preflight at start: it never stops the portal, logs one line per read, and its detail is on the readiness
/// check's data for operators while <c>/readyz</c>'s public answer stays one word.
/// </summary>
public abstract class PreflightAtStartTests<TApp>(TApp app) : PortalTests<TApp>(app)
    where TApp : PreflightOnPortal
{
    protected async Task<IReadOnlyDictionary<string, object>> PreflightDataAsync()
    {
        var results = App.Services.GetRequiredService<PreflightResults>();
        await Eventually.TrueAsync(() => results.Latest is not null, "the preflight at start has run");
        var report = await App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["okta-preflight"].Data;
    }

    protected async Task<(HttpStatusCode Status, string Body)> ReadyzAsync()
    {
        using var browser = App.NewBrowser();
        var response = await browser.GetAsync("/readyz");
        return (response.StatusCode, browser.Html);
    }
}

public sealed class PreflightAtStartFineTests(PreflightOnPortal app) : PreflightAtStartTests<PreflightOnPortal>(app)
{
    [Fact]
    public async Task EveryReadIsLoggedAsFineAndOnTheReadinessDetail()
    {
        var data = await PreflightDataAsync();

        Assert.Equal("fine", data["getUser"]);
        Assert.Equal("fine", data["listAssignedRolesForUser"]);
        Assert.Contains(App.Logs.GetSnapshot(), log => log.Level == LogLevel.Information && log.Message.StartsWith("Okta preflight \"listPolicies\": fine", StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.GetSnapshot(), log => log.Message.StartsWith("Okta preflight", StringComparison.Ordinal) && log.Level > LogLevel.Information);
    }

    [Fact]
    public async Task ReadyzPublicAnswerCarriesNoPreflightDetail()
    {
        await PreflightDataAsync();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadyzAsync());
    }
}

public sealed class PreflightAtStartMissingPermissionTests(PreflightWithoutRolesPortal app) : PreflightAtStartTests<PreflightWithoutRolesPortal>(app)
{
    [Fact]
    public async Task AMissingPermissionIsAWarningAndOnTheDetailButThePortalStaysReady()
    {
        var data = await PreflightDataAsync();

        Assert.StartsWith("missing admin permission", (string)data["listAssignedRolesForUser"], StringComparison.Ordinal);
        Assert.Equal("fine", data["getUser"]);
        Assert.Contains(App.Logs.GetSnapshot(), log => log.Level == LogLevel.Warning
            && log.Message.StartsWith("Okta preflight \"listAssignedRolesForUser\": \"missing admin permission\"", StringComparison.Ordinal));
        var (status, body) = await ReadyzAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (status, body));
        Assert.DoesNotContain("permission", body, StringComparison.OrdinalIgnoreCase);
    }
}
