using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Issue 22 item 1: the sandbox's default policy has a minimum password age of a day (<c>age.minAgeMinutes</c>
/// 1440), which Okta enforces on a <c>strict=true</c> set. A person who reset within the day is told after
/// verification when they can reset again, and no password is tried (none would be accepted).
/// </summary>
public sealed class MinimumPasswordAgeStepTests(MinimumPasswordAgeStepTests.DayOldPasswordsApp app) : PortalTests<MinimumPasswordAgeStepTests.DayOldPasswordsApp>(app)
{
    private const string Sam = "sam.sms@example.com";

    public sealed class DayOldPasswordsApp : PortalApp
    {
        protected override void ConfigureSandbox(SandboxOptions options) => options.Policy.MinAgeMinutes = 24 * 60;
    }


    [Fact]
    public async Task APersonWhoResetWithinTheMinimumAgeIsToldWhenTheyCanResetAndNoPasswordIsTried()
    {
        using (var first = await App.VerifiedWithSmsAsync(Sam))
        {
            Assert.Equal("/reset/password", first.Location);
            await first.FollowAsync();
            await first.ChangePasswordAsync();
            Assert.Equal("/reset/done", first.Location);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        using var again = await App.VerifiedWithSmsAsync(Sam);

        Assert.StartsWith("/reset/problem/password-too-new?until=", again.Location, StringComparison.Ordinal);
        await again.FollowAsync();
        Assert.Equal(HttpStatusCode.Forbidden, again.Response.StatusCode);
        Assert.Equal("You can't change your password yet", again.Heading);
        Assert.Contains("You can reset it here in 24 hours.", again.Page.QuerySelector("p.lead")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(24), again.Response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, App.CallsFor(Sam, OktaOperations.UpdateUser));
        await again.GetAsync("/reset/password");
        Assert.NotEqual(HttpStatusCode.OK, again.Response.StatusCode);
    }

    [Fact]
    public async Task OnceTheMinimumAgeHasPassedTheResetGoesThrough()
    {
        using (var first = await App.VerifiedWithSmsAsync(Sam))
        {
            await first.FollowAsync();
            await first.ChangePasswordAsync();
        }

        App.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        using var later = await App.VerifiedWithSmsAsync(Sam);

        Assert.Equal("/reset/password", later.Location);
        await later.FollowAsync();
        await later.ChangePasswordAsync("Second-Fresh-Start-2026");
        Assert.Equal("/reset/done", later.Location);
    }
}
