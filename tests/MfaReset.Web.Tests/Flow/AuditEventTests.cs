using MfaReset.Okta;
using MfaReset.Web.Flow;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Flow;

/// <summary>The flow's security events name the client (security.md 65) and cannot be forged through it (item 66).</summary>
public sealed class AuditEventTests
{
    private const string ForgingAgent = "Mozilla/5.0\r\nFAKE Information MfaReset.Web.Flow.ResetFlow [1009] Password change: outcome changed";

    [Fact]
    public async Task EveryStepsEventNamesTheClientIpAndAForgingUserAgentStaysOnItsLine()
    {
        var h = new FlowHarness(userAgent: ForgingAgent);
        h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await h.VerifiedAsync("ann@example.com");
        await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, "Correct-Horse-42", CancellationToken.None);

        var events = h.Logs.Lines.Where(l => l.Contains("MfaReset.Web.Flow.ResetFlow [10", StringComparison.Ordinal)).ToList();

        Assert.Equal(["1000", "1001", "1003", "1023", "1007", "1009", "1010", "1011"], events.Select(l => l.Split('[', ']')[1]));
        Assert.All(events, l => Assert.Contains($"client {FlowHarness.ClientIp}, agent Mozilla/5.0??FAKE Information", l, StringComparison.Ordinal));
        Assert.All(h.Logs.Lines, l => Assert.DoesNotContain('\n', l));
        Assert.All(h.Logs.Lines, l => Assert.DoesNotContain('\r', l));
    }
}
