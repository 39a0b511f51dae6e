using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// Okta resolves a login in any case and its unambiguous short name to the same person. A real account's
/// limits and leases are keyed by its Okta id, so they hold across spellings; an unknown name's must hold
/// across the same spellings (<c>Reset:LoginDomain</c>), and a held send lease must look the same for both.
/// </summary>
public sealed class EquivalentSpellingsTests
{
    private const string Real = "ann@example.com";
    private const string Unknown = "zed@example.com";
    private readonly FlowHarness _h = new(o => o.LoginDomain = "example.com");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public EquivalentSpellingsTests() => _h.Okta.AddUser(Real, kinds: [FactorKind.Sms, FactorKind.OktaVerifyTotp]);

    [Theory]
    [InlineData(Real, "ann")]
    [InlineData(Unknown, "zed")]
    [InlineData(Real, "ANN@Example.com")]
    [InlineData(Unknown, "ZED@Example.com")]
    public async Task ASecondSpellingWhileTheFirstHoldsTheSendLeaseGetsTheNormalSentPage(string first, string second)
    {
        var holder = await _h.ChooseAsync(first, FactorKind.Sms);
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(holder, _ct));
        var other = await _h.ChooseAsync(second, FactorKind.Sms);

        Assert.Equal(new SendCodeResult.Sent(false), await _h.Flow.SendCodeAsync(other, _ct));
        Assert.True(Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(other, _ct)).Step.CodeSent);
        Assert.Equal(first == Real ? 1 : 0, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Theory]
    [InlineData(Real, "ann")]
    [InlineData(Unknown, "zed")]
    [InlineData(Unknown, "Zed@EXAMPLE.com")]
    public async Task AShortNameOrAnotherCaseSharesThePauseOfTheLogin(string login, string spelling)
    {
        await WrongCodesAsync(login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(login, 1);

        var paused = await CodeAsync(spelling);

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(paused).Problem);
    }

    [Fact]
    public async Task AnUnknownLoginInAnotherDomainIsCountedApartAsADifferentAccountWouldBe()
    {
        await WrongCodesAsync(Unknown, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(Unknown, 1);

        Assert.IsType<VerifyCodeResult.WrongCode>(await CodeAsync("zed@other.example"));
    }

    [Fact]
    public async Task PerPersonSendCapsHoldAcrossAnUnknownNamesSpellings()
    {
        for (var send = 0; send < _h.Options.Limits.SendsPerUser; send++)
        {
            var each = await _h.ChooseAsync(send % 2 == 0 ? Unknown : "zed", FactorKind.Sms);
            Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(each, _ct));
            _h.Clock.Advance(_h.Options.Limits.ResendCooldown);
        }

        var over = await _h.ChooseAsync("ZED", FactorKind.Sms);

        Assert.Equal(FlowProblem.SendLimitReached, Assert.IsType<SendCodeResult.Failed>(await _h.Flow.SendCodeAsync(over, _ct)).Problem);
    }

    private async Task WrongCodesAsync(string login, int count)
    {
        var secret = await _h.ChooseAsync(login, FactorKind.OktaVerifyTotp);
        for (var i = 0; i < count; i++)
        {
            await _h.Flow.VerifyCodeAsync(secret, $"00000{i + 1}", _ct);
        }
    }

    private async Task<VerifyCodeResult> CodeAsync(string login) =>
        await _h.Flow.VerifyCodeAsync(await _h.ChooseAsync(login, FactorKind.OktaVerifyTotp), "000009", _ct);
}
