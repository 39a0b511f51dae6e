using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset.Audit;

/// <summary>The flow's security events name the client (security.md 65) and cannot be forged through it (item 66).</summary>
public sealed class AuditEventTests
{
    private const string ForgingAgent = "Mozilla/5.0\r\nFAKE Information MfaReset.Web.Reset.ResetFlow [1009] Password change: outcome changed";

    [Fact]
    public async Task EveryStepsEventNamesTheClientIpAndAForgingUserAgentStaysOnItsLine()
    {
        var h = new FlowHarness(userAgent: ForgingAgent);
        h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await h.VerifiedAsync("ann@example.com");
        await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, "Correct-Horse-42", TestContext.Current.CancellationToken);

        var events = h.Logs.GetSnapshot().Where(r => r.Category == typeof(ResetFlow).FullName && r.Id.Id is >= 1000 and < 1100).ToList();

        Assert.Equal([1000, 1001, 1003, 1023, 1007, 1009, 1010, 1011], events.Select(r => r.Id.Id));
        Assert.All(events, r => Assert.Equal(FlowHarness.ClientIp, r.Value("ClientIp")));
        Assert.All(events, r => Assert.StartsWith("Mozilla/5.0??FAKE Information", r.Value("UserAgent"), StringComparison.Ordinal));
        Assert.All(h.Logs.GetSnapshot().SelectMany(r => r.Texts()), text => Assert.DoesNotContain('\n', text));
        Assert.All(h.Logs.GetSnapshot().SelectMany(r => r.Texts()), text => Assert.DoesNotContain('\r', text));
    }

    [Fact]
    public async Task EveryStepsEventNamesItsFlowAndTheOktaUserActing()
    {
        var h = new FlowHarness();
        var ann = h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await h.VerifiedAsync("ann@example.com");
        await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, "Correct-Horse-42", CancellationToken.None);

        var events = h.Logs.GetSnapshot().Where(r => r.Category == typeof(ResetFlow).FullName && r.Id.Id is >= 1000 and < 1100).ToList();

        Assert.All(events.Where(r => r.Value("Subject") is not null), r => Assert.Equal(ann.Id, r.Value("Subject")));
        // The flow's reference is a prefix of its store key, which rotates once, on verification: two references, no other.
        Assert.All(events, r => Assert.Matches("^[0-9a-f]{12}$", r.Value("FlowRef")));
        Assert.Equal(2, events.Select(r => r.Value("FlowRef")).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(FlowSecrets.LogRef(FlowSecrets.KeyOf(credentials.FlowSecret)), events[^1].Value("FlowRef"));
    }
}
