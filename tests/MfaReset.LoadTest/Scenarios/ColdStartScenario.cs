using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.Okta.Sandbox;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figure 5: process start to the first 200 on the forgot-password page, starting the built portal as a
/// production deployment would (Production environment, an Okta org configured: here a sandbox).
/// </summary>
internal sealed class ColdStartScenario(LoadProfile profile, TimeProvider time)
{
    public async Task RunAsync(string? portalDll, FigureBuilder figure, CancellationToken ct)
    {
        var dll = portalDll ?? PortalProcess.DefaultDll();
        await using var org = await OktaSandbox.StartAsync(new SandboxOptions(), time, ct).ConfigureAwait(false);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Okta__OrgUrl"] = org.BaseUrl.GetLeftPart(UriPartial.Authority),
            ["Okta__ApiToken"] = org.ApiToken,
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };

        var coldStart = new ColdStart(time);
        var starts = new List<ColdStartTimes>();
        for (var i = 0; i < profile.ColdStarts; i++)
        {
            starts.Add(await coldStart.MeasureAsync(dll, PortalPages.ForgotPassword, environment, ct).ConfigureAwait(false));
        }

        figure.Add("process start to first 200 on the forgot-password page", "ms",
            Percentiles.Median(starts.Select(s => s.FirstOk.TotalMilliseconds)), Target.Below(1500));
        figure.Add("of which: process start to port accepting connections", "ms",
            Percentiles.Median(starts.Select(s => s.Listening.TotalMilliseconds)));
        figure.Note($"`dotnet {Path.GetFileName(dll)}` from {Path.GetDirectoryName(dll)}; {profile.ColdStarts} starts a run, median per run.");
    }
}
