using MfaReset.Okta.Sandbox.Control;


namespace MfaReset.Okta.Tests.Contract;

/// <summary>
/// The client against the sandbox where only the sandbox can show it: whole flows, state that changes
/// in the org, and faults injected on the other side of a real HTTP connection.
/// </summary>
public sealed class SandboxClientTests : IClassFixture<SandboxTargetFixture>
{
    private const string Sam = "sam.sms@example.com";
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly SandboxTarget _sandbox;

    public SandboxClientTests(SandboxTargetFixture target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _sandbox = (SandboxTarget)target.Target;
        _sandbox.Reset();
    }

    private IOktaClient Client => _sandbox.Client;

    private ISandboxControl Control => _sandbox.Control;

    [Fact]
    public async Task SmsResetRunsEndToEndAndTheNewPasswordTakes()
    {
        var user = Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(Sam, TestContext.Current.CancellationToken)).Value;
        var sms = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(await Client.ListFactorsAsync(user.Id, TestContext.Current.CancellationToken)).Value);

        Assert.IsType<FactorVerifyResult.ChallengeSent>(await Client.ChallengeAsync(user.Id, sms.Id, cancellationToken: TestContext.Current.CancellationToken));
        var code = Control.GetLatestMessage(Sam)!.Code;
        Assert.IsType<FactorVerifyResult.Success>(await Client.VerifyPasscodeAsync(user.Id, sms.Id, code, cancellationToken: TestContext.Current.CancellationToken));
        Assert.IsType<SetPasswordResult.Changed>(await Client.SetPasswordAsync(user.Id, TargetDirectory.StrongPassword, cancellationToken: TestContext.Current.CancellationToken));
        Assert.IsType<OktaResult<NoContent>.Ok>(await Client.RevokeSessionsAsync(user.Id, revokeOAuthTokens: true, cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(Control.IsCurrentPassword(Sam, TargetDirectory.StrongPassword));
        Assert.NotNull(Control.GetUser(Sam).SessionsRevoked);
    }

    [Fact]
    public async Task ReusingTheCurrentPasswordIsRejectedBecauseTheClientAsksForStrictChecks()
    {
        var userId = Control.GetUser(Sam).Id;
        Assert.IsType<SetPasswordResult.Changed>(await Client.SetPasswordAsync(userId, TargetDirectory.StrongPassword, cancellationToken: TestContext.Current.CancellationToken));

        var rejected = Assert.IsType<SetPasswordResult.Rejected>(await Client.SetPasswordAsync(userId, TargetDirectory.StrongPassword, cancellationToken: TestContext.Current.CancellationToken));

        Assert.NotEmpty(rejected.Reasons);
        Assert.All(rejected.Reasons, r => Assert.DoesNotContain(TargetDirectory.StrongPassword, r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasswordChangedReadBackAfterASetIsTheInstantOfTheChange()
    {
        var userId = Control.GetUser(Sam).Id;
        var before = Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(userId, TestContext.Current.CancellationToken)).Value.PasswordChanged;
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        var changedAt = _sandbox.Clock.GetUtcNow();

        Assert.IsType<SetPasswordResult.Changed>(await Client.SetPasswordAsync(userId, TargetDirectory.StrongPassword, cancellationToken: TestContext.Current.CancellationToken));
        var after = Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(userId, TestContext.Current.CancellationToken)).Value.PasswordChanged;

        Assert.True(before < changedAt, "the seed's password is older than the change");
        Assert.Equal(changedAt, after);
    }

    [Fact]
    public async Task UnlockedUserIsActiveAgain()
    {
        var lou = Control.GetUser("lou.locked@example.com");
        Assert.Equal(OktaUserStatus.LockedOut, Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(lou.Id, TestContext.Current.CancellationToken)).Value.Status);

        Assert.IsType<OktaResult<NoContent>.Ok>(await Client.UnlockUserAsync(lou.Id, TestContext.Current.CancellationToken));

        Assert.Equal(OktaUserStatus.Active, Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(lou.Id, TestContext.Current.CancellationToken)).Value.Status);
    }

    [Fact]
    public async Task ServerErrorOnALookupIsRetriedOverTheWire()
    {
        Control.ScriptNextCall(Sam, ScriptedCallFault.ServerError);

        var lookup = Client.GetUserAsync(Sam, TestContext.Current.CancellationToken);
        _sandbox.Clock.Advance(await _sandbox.Clock.NextTimerAsync(due => due > TimeSpan.Zero && due <= LongestBackoff));

        Assert.IsType<OktaResult<OktaUser>.Ok>(await lookup.WaitAsync(Patience, TestContext.Current.CancellationToken));
        Assert.Equal(2, Control.GetCallCounts().ByUser[Sam][OktaOperations.GetUser]);
    }

    [Fact]
    public async Task LookupThatStallsPastTheAttemptTimeoutIsRetried()
    {
        Control.ScriptNextCall(Sam, ScriptedCallFault.Slow);

        var lookup = Client.GetUserAsync(Sam, TestContext.Current.CancellationToken);
        await _sandbox.Clock.NextTimerAsync(due => due == TimeSpan.FromSeconds(15)); // the sandbox stalls the call
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(10));                             // the client's attempt timeout
        _sandbox.Clock.Advance(await _sandbox.Clock.NextTimerAsync(due => due <= LongestBackoff));

        Assert.IsType<OktaResult<OktaUser>.Ok>(await lookup.WaitAsync(Patience, TestContext.Current.CancellationToken));
        Assert.Equal(2, Control.GetCallCounts().ByUser[Sam][OktaOperations.GetUser]);
    }

    [Fact]
    public async Task ServerErrorOnAChallengeIsNotRetriedAndNoSmsIsSent()
    {
        var userId = Control.GetUser(Sam).Id;
        var factorId = Control.GetUser(Sam).Factors[0].Id;
        Control.ScriptNextCall(Sam, ScriptedCallFault.ServerError);

        var result = await Client.ChallengeAsync(userId, factorId, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(
            new OktaUnavailable(OktaUnavailableKind.ServerError, RequestMayHaveReachedOkta: true, 500),
            Assert.IsType<FactorVerifyResult.Unavailable>(result).Reason);
        Assert.Equal(1, Control.GetCallCounts().ByUser[Sam][OktaOperations.VerifyFactor]);
        Assert.Empty(Control.GetMessages(Sam));
    }
}
