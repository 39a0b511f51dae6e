using MfaReset.Okta;
using MfaReset.Web.Flow;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Flow;

/// <summary>
/// Okta locks an account at its fifth consecutive failed verification, and its counter may not reset with
/// time. The portal lets at most four in a row reach Okta, across flows and windows, until one succeeds;
/// the fifth ends on the "verification paused" page (help desk), the same for unknown usernames.
/// </summary>
public sealed class ConsecutiveFailureTests
{
    private const string Login = "ann@example.com";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public ConsecutiveFailureTests() => _h.Okta.AddUser(Login, kinds: [FactorKind.OktaVerifyTotp, FactorKind.OktaVerifyPush]);

    private int VerifyCalls => _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync));

    [Fact]
    public async Task FourWrongCodesThenOneMoreAfterThePerPersonWindowNeverReachesOkta()
    {
        await WrongCodesAsync(Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(Login, 1);
        _h.Clock.Advance(TimeSpan.FromDays(3));

        var fifth = await CodeAsync(Login, "000001");

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(fifth).Problem);
        Assert.Equal(4, VerifyCalls);
        Assert.Contains(_h.Logs.OfEvent(1006), r => r.Value("Limit") == "consecutive-failures");
    }

    [Fact]
    public async Task AFifthPushIsNotSentAfterFourFailuresInARow()
    {
        await WrongCodesAsync(Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(Login, 1);
        var pushesBefore = _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync));

        var secret = await _h.ChooseAsync(Login, FactorKind.OktaVerifyPush);
        var push = await _h.Flow.SendPushAsync(secret, _ct);

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<SendPushResult.Failed>(push).Problem);
        Assert.Equal(pushesBefore, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task ASuccessfulVerificationStartsTheCountAgain()
    {
        await WrongCodesAsync(Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.IsType<VerifyCodeResult.Verified>(await CodeAsync(Login, FakeOktaClient.ValidCode));
        _h.Clock.Advance(TimeSpan.FromDays(1));
        await WrongCodesAsync(Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(Login, 1);

        var fifth = await CodeAsync(Login, "000001");

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(fifth).Problem);
        Assert.Equal(8, VerifyCalls);
    }

    [Fact]
    public async Task AnUnknownUsernameReachesTheSamePausedPage()
    {
        const string Unknown = "nobody@example.com";
        await WrongCodesAsync(Unknown, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(Unknown, 1);

        var fifth = await CodeAsync(Unknown, "000001");

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(fifth).Problem);
        Assert.Equal(0, VerifyCalls);
    }

    /// <summary><paramref name="count"/> wrong codes in one new flow.</summary>
    private async Task WrongCodesAsync(string login, int count)
    {
        var secret = await _h.ChooseAsync(login, FactorKind.OktaVerifyTotp);
        for (var i = 0; i < count; i++)
        {
            var result = await _h.Flow.VerifyCodeAsync(secret, $"00000{i + 1}", _ct);
            Assert.True(result is VerifyCodeResult.WrongCode or VerifyCodeResult.Failed { Problem: FlowProblem.LimitReached }, $"attempt {i + 1}: {result}");
        }
    }

    private async Task<VerifyCodeResult> CodeAsync(string login, string code) =>
        await _h.Flow.VerifyCodeAsync(await _h.ChooseAsync(login, FactorKind.OktaVerifyTotp), code, _ct);
}
