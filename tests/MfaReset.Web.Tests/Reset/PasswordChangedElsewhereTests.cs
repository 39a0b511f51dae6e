using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// A password set elsewhere since the flow's start read is never overwritten. The set names the version of the
/// user that read saw (<c>If-Match</c> on its <c>ETag</c>), so it needs no read before it; a 412 is settled by
/// reading the user: a password changed elsewhere ends the token, any other change gets the set once more. An
/// org that sends no <c>ETag</c> reads the user before the set, as before.
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

    private int Sets => _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync));

    private Task<ChangePasswordResult> ChangeAsync(VerifiedCredentials c) =>
        _h.Flow.ChangePasswordAsync(c.FlowSecret, c.ResetToken, NewPassword, _ct);

    /// <summary>Whether a set reached the fake's directory (the fake refuses a stale If-Match before it does).</summary>
    private List<string> AppliedSets()
    {
        var applied = new List<string>();
        _h.Okta.OnSetPassword = applied.Add;
        return applied;
    }

    /// <summary>An org that sends no ETag: its users read without one.</summary>
    private void OrgSendsNoETag() => _h.Okta.Users["ann@example.com"] = _h.Okta.Users["ann@example.com"] with { ETag = null };

    [Fact]
    public async Task TheSetNamesTheStartReadsVersionWithNoReadBeforeIt()
    {
        var startVersion = _h.Okta.Users["ann@example.com"].ETag;
        var credentials = await _h.VerifiedAsync("ann@example.com");
        var readsBefore = _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync));

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        Assert.Equal(readsBefore, _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync)));
        Assert.Equal([startVersion], _h.Okta.SetPasswordIfMatch);
    }

    [Theory]
    [InlineData(true)] // the help desk set a password
    [InlineData(false)] // a user who never had one in Okta was given one
    public async Task PasswordSetElsewhereAfterVerificationEndsTheTokenAndIsNotOverwritten(bool hadAPassword)
    {
        if (!hadAPassword)
        {
            _h.Okta.Users["ann@example.com"] = _h.Okta.Users["ann@example.com"] with { PasswordChanged = null };
        }

        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        _h.Okta.SetPasswordChanged(AnnId, _h.Clock.GetUtcNow());
        var applied = AppliedSets();

        var refused = await ChangeAsync(credentials);
        var step = await _h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct);
        var again = await ChangeAsync(credentials);

        Assert.Equal(FlowProblem.PasswordChangedElsewhere, Assert.IsType<ChangePasswordResult.Failed>(refused).Problem);
        Assert.IsType<PasswordStepResult.Failed>(step);
        Assert.IsType<ChangePasswordResult.Failed>(again);
        Assert.Equal(1, Sets); // the conditional set, refused with 412
        Assert.Empty(applied);
        Assert.Equal(_h.Clock.GetUtcNow(), _h.Okta.Users["ann@example.com"].PasswordChanged);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        Assert.Contains(_h.Logs.GetSnapshot(), r => r.Id.Id == 1008 && r.Message.Contains("password-changed-elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AUserChangedOtherwiseSinceTheStartGetsTheNewPasswordOnTheFreshVersion()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        var startVersion = _h.Okta.Users["ann@example.com"].ETag;
        _h.Okta.ChangeOtherThanPassword(AnnId);
        var freshVersion = _h.Okta.Users["ann@example.com"].ETag;
        var readsBefore = _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync));
        var applied = AppliedSets();

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        Assert.Equal([startVersion, freshVersion], _h.Okta.SetPasswordIfMatch);
        Assert.Equal(readsBefore + 1, _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync)));
        Assert.Single(applied);
    }

    [Fact]
    public async Task AnOrgThatHonoursNoWeakTagGetsOneUnconditionalSetAfterTheReadShowsThePasswordUnchanged()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.RefusesEveryIfMatch = true;
        var applied = AppliedSets();

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        Assert.Equal(3, Sets); // start version, fresh version, then none: never more
        Assert.Null(_h.Okta.SetPasswordIfMatch.Last());
        Assert.Single(applied);
        var calls = _h.Okta.Calls.ToList();
        Assert.Equal(
            [nameof(IOktaClient.SetPasswordAsync), nameof(IOktaClient.GetUserAsync), nameof(IOktaClient.SetPasswordAsync), nameof(IOktaClient.SetPasswordAsync)],
            calls[calls.IndexOf(nameof(IOktaClient.SetPasswordAsync))..(calls.LastIndexOf(nameof(IOktaClient.SetPasswordAsync)) + 1)]);
    }

    [Fact]
    public async Task AnOrgWithoutETagsReadsTheUserBeforeAnUnconditionalSet()
    {
        OrgSendsNoETag();
        var credentials = await _h.VerifiedAsync("ann@example.com");

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        var calls = _h.Okta.Calls;
        var set = calls.ToList().IndexOf(nameof(IOktaClient.SetPasswordAsync));
        Assert.Equal(nameof(IOktaClient.GetUserAsync), calls[set - 1]);
        Assert.Equal([null], _h.Okta.SetPasswordIfMatch);
    }

    [Fact]
    public async Task AnOrgWithoutETagsSendsNothingOverAPasswordSetElsewhere()
    {
        OrgSendsNoETag();
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        _h.Okta.SetPasswordChanged(AnnId, _h.Clock.GetUtcNow());

        Assert.Equal(FlowProblem.PasswordChangedElsewhere, Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(credentials)).Problem);
        Assert.Equal(0, Sets);
    }

    public static TheoryData<OktaResult<OktaUser>, FlowProblem, bool> FailedReads
    {
        get
        {
            var data = new TheoryData<OktaResult<OktaUser>, FlowProblem, bool>();
            foreach (var orgSendsETags in new[] { true, false })
            {
                data.Add(new OktaResult<OktaUser>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)), FlowProblem.Unavailable, orgSendsETags);
                data.Add(new OktaResult<OktaUser>.Throttled(FakeOktaClient.Error(429, "E0000047")), FlowProblem.Busy, orgSendsETags);
                data.Add(new OktaResult<OktaUser>.Failed(FakeOktaClient.Error(403, "E0000006")), FlowProblem.Unavailable, orgSendsETags);
            }

            return data;
        }
    }

    /// <summary>The read after a 412 (or, without ETags, before the set) fails: nothing more is sent, and the token and the attempt are given back.</summary>
    [Theory]
    [MemberData(nameof(FailedReads))]
    public async Task AReadThatFailsSendsNothingMoreAndLeavesTheTokenForARetryWithoutSpendingAnAttempt(OktaResult<OktaUser> read, FlowProblem problem, bool orgSendsETags)
    {
        if (!orgSendsETags)
        {
            OrgSendsNoETag();
        }

        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.ChangeOtherThanPassword(AnnId);
        _h.Okta.NextGetUser.Enqueue(read);
        var applied = AppliedSets();

        var failed = await ChangeAsync(credentials);
        var setsOfTheFailedSubmit = Sets;
        var step = await _h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct);
        var retried = await ChangeAsync(credentials);

        Assert.Equal(problem, Assert.IsType<ChangePasswordResult.Failed>(failed).Problem);
        Assert.Equal(orgSendsETags ? 1 : 0, setsOfTheFailedSubmit); // with ETags: only the refused conditional set
        Assert.Equal(_h.Options.Limits.PasswordAttemptsPerToken, Assert.IsType<PasswordStepResult.Ready>(step).AttemptsLeft);
        Assert.IsType<ChangePasswordResult.Changed>(retried);
        Assert.Single(applied);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AUserGoneFromOktaSinceVerificationEndsTheTokenAndNothingIsSet(bool orgSendsETags)
    {
        if (!orgSendsETags)
        {
            OrgSendsNoETag();
        }

        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.ChangeOtherThanPassword(AnnId);
        _h.Okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.NotFound(FakeOktaClient.Error(404, "E0000007")));
        var applied = AppliedSets();

        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(credentials)).Problem);
        Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(credentials));
        Assert.Empty(applied);
    }
}
