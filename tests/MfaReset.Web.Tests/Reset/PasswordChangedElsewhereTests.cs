using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// Before the set the flow reads the user and compares Okta's <c>passwordChanged</c> with what it read at the
/// start: a password set elsewhere since ends the token; a read that fails sends nothing and keeps the token.
/// </summary>
public sealed class PasswordChangedElsewhereTests
{
    private const string NewPassword = "Correct-Horse-42";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public PasswordChangedElsewhereTests()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
    }

    private string AnnId => _h.Okta.Users["ann@example.com"].Id;

    private Task<ChangePasswordResult> ChangeAsync(VerifiedCredentials c) =>
        _h.Flow.ChangePasswordAsync(c.FlowSecret, c.ResetToken, NewPassword, _ct);

    [Fact]
    public async Task UnchangedPasswordIsReadThenSet()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        var calls = _h.Okta.Calls;
        var set = calls.ToList().IndexOf(nameof(IOktaClient.SetPasswordAsync));
        Assert.Equal(nameof(IOktaClient.GetUserAsync), calls[set - 1]);
    }

    [Theory]
    [InlineData(true)] // the help desk set a password
    [InlineData(false)] // a user who never had one in Okta was given one
    public async Task PasswordSetElsewhereAfterVerificationEndsTheTokenAndNothingIsSent(bool hadAPassword)
    {
        if (!hadAPassword)
        {
            _h.Okta.Users["ann@example.com"] = _h.Okta.Users["ann@example.com"] with { PasswordChanged = null };
        }

        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        _h.Okta.SetPasswordChanged(AnnId, _h.Clock.GetUtcNow());

        var refused = await ChangeAsync(credentials);
        var step = await _h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct);
        var again = await ChangeAsync(credentials);

        Assert.Equal(FlowProblem.PasswordChangedElsewhere, Assert.IsType<ChangePasswordResult.Failed>(refused).Problem);
        Assert.IsType<PasswordStepResult.Failed>(step);
        Assert.IsType<ChangePasswordResult.Failed>(again);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        Assert.Contains(_h.Logs.GetSnapshot(), r => r.Id.Id == 1008 && r.Message.Contains("password-changed-elsewhere", StringComparison.Ordinal));
    }

    public static TheoryData<OktaResult<OktaUser>, FlowProblem> FailedReads => new()
    {
        { new OktaResult<OktaUser>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)), FlowProblem.Unavailable },
        { new OktaResult<OktaUser>.Throttled(FakeOktaClient.Error(429, "E0000047")), FlowProblem.Busy },
        { new OktaResult<OktaUser>.Failed(FakeOktaClient.Error(403, "E0000006")), FlowProblem.Unavailable },
    };

    [Theory]
    [MemberData(nameof(FailedReads))]
    public async Task AReadThatFailsSendsNothingAndLeavesTheTokenForARetryWithoutSpendingAnAttempt(OktaResult<OktaUser> read, FlowProblem problem)
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.NextGetUser.Enqueue(read);

        var failed = await ChangeAsync(credentials);
        var step = await _h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct);
        var retried = await ChangeAsync(credentials);

        Assert.Equal(problem, Assert.IsType<ChangePasswordResult.Failed>(failed).Problem);
        Assert.Equal(_h.Options.Limits.PasswordAttemptsPerToken, Assert.IsType<PasswordStepResult.Ready>(step).AttemptsLeft);
        Assert.IsType<ChangePasswordResult.Changed>(retried);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task AUserGoneFromOktaSinceVerificationEndsTheTokenAndNothingIsSent()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.NotFound(FakeOktaClient.Error(404, "E0000007")));

        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(credentials)).Problem);
        Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(credentials));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }
}
