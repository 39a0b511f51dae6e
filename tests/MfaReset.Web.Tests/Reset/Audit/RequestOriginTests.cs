using System.Net;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Tests.Reset.Audit;

/// <summary>What the security events say about the client: log-safe, capped, never a line of its own.</summary>
public sealed class RequestOriginTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public void ClientIpIsWrittenAsTheAddressItIs(string address, string logged) =>
        Assert.Equal(logged, RequestOrigin.Of(IPAddress.Parse(address), "Mozilla/5.0").ClientIp);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingValuesAreADash(string? userAgent)
    {
        var origin = RequestOrigin.Of(null, userAgent);

        Assert.Equal(("-", "-"), (origin.ClientIp, origin.UserAgent));
    }

    [Theory]
    [InlineData("Mozilla/5.0\r\nFAKE entry", "Mozilla/5.0??FAKE entry")]
    [InlineData("a\nb\rc\td\u001be\u0085f\u2028g\u2029h\u0000i", "a?b?c?d?e?f?g?h?i")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/140.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/140.0")]
    public void ControlCharactersAndLineSeparatorsAreNeutralized(string userAgent, string logged) =>
        Assert.Equal(logged, RequestOrigin.Of(null, userAgent).UserAgent);

    [Fact]
    public void LongUserAgentIsCappedWithoutSplittingACharacter()
    {
        var userAgent = new string('a', RequestOrigin.MaxUserAgentLength - 1) + "\U0001F600" + "tail";

        var logged = RequestOrigin.Of(null, userAgent).UserAgent;

        Assert.Equal(new string('a', RequestOrigin.MaxUserAgentLength - 1), logged);
        Assert.Equal(RequestOrigin.MaxUserAgentLength, RequestOrigin.Of(null, new string('b', 5000)).UserAgent.Length);
    }

    [Fact]
    public void ActingInAFlowNamesItsReferenceItsOktaUserAndThisClient()
    {
        var origin = RequestOrigin.Of(IPAddress.Parse("203.0.113.7"), "Mozilla/5.0");
        var flow = new FlowState
        {
            Key = FlowSecrets.KeyOf("secret"), Stage = FlowStage.Identified, CreatedAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.UnixEpoch,
            LastActivityAt = DateTimeOffset.UnixEpoch, SubjectKey = "user:00u1", OktaUserId = "00u1", Factors = [],
        };

        Assert.Equal(new AuditActor(FlowSecrets.KeyOf("secret")[..12], "00u1", "203.0.113.7", "Mozilla/5.0"), origin.For(flow));
        Assert.Equal("unknown", origin.For(flow with { OktaUserId = null }).Subject);
        Assert.Equal(new AuditActor("-", "unknown", "203.0.113.7", "Mozilla/5.0"), origin.WithoutFlow);
    }
}
