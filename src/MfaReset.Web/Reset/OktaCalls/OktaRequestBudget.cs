namespace MfaReset.Web.Reset.OktaCalls;

/// <summary>
/// The Okta client as one request of the portal sees it: however many calls the request makes, together
/// they get at most <c>Okta:TotalBudget</c>, measured from the first. A call that would start after the
/// deadline is not sent; one still running at the deadline is abandoned. Both come back as
/// <see cref="OktaUnavailableKind.Timeout"/> results, never as exceptions (the caller's own cancellation
/// still throws). One instance per <see cref="ResetFlow"/>, which is per request.
/// </summary>
public sealed class OktaRequestBudget(IOktaClient inner, TimeProvider time, TimeSpan budget) : IOktaClient
{
    private long? _startedAt;

    public Task<OktaResult<OktaUser>> GetUserAsync(string loginOrId, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.GetUserAsync(loginOrId, ct), Read<OktaUser>, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaFactor>>> ListFactorsAsync(string userId, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.ListFactorsAsync(userId, ct), Read<IReadOnlyList<OktaFactor>>, cancellationToken);

    public Task<FactorVerifyResult> ChallengeAsync(string userId, string factorId, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.ChallengeAsync(userId, factorId, language, endUser, ct), Verify, cancellationToken);

    public Task<FactorVerifyResult> ChallengeEmailAsync(string userId, string factorId, TimeSpan tokenLifetime, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.ChallengeEmailAsync(userId, factorId, tokenLifetime, language, endUser, ct), Verify, cancellationToken);

    public Task<FactorVerifyResult> VerifyPasscodeAsync(string userId, string factorId, string passCode, OktaEndUser? endUser = null, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.VerifyPasscodeAsync(userId, factorId, passCode, endUser, ct), Verify, cancellationToken);

    public Task<FactorVerifyResult> SendPushAsync(string userId, string factorId, PushRequestContext context, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.SendPushAsync(userId, factorId, context, ct), Verify, cancellationToken);

    public Task<FactorVerifyResult> PollPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.PollPushAsync(handle, ct), Verify, cancellationToken);

    public Task<SetPasswordResult> SetPasswordAsync(string userId, string newPassword, OktaEntityTag? ifMatch = null, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.SetPasswordAsync(userId, newPassword, ifMatch, ct), reason => new SetPasswordResult.Unavailable(reason), cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaRole>>> ListAssignedRolesAsync(string userId, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.ListAssignedRolesAsync(userId, ct), Read<IReadOnlyList<OktaRole>>, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaGroup>>> ListUserGroupsAsync(string userId, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.ListUserGroupsAsync(userId, ct), Read<IReadOnlyList<OktaGroup>>, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaPasswordPolicy>>> ListPasswordPoliciesAsync(CancellationToken cancellationToken = default) =>
        RunAsync(inner.ListPasswordPoliciesAsync, Read<IReadOnlyList<OktaPasswordPolicy>>, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>> ListPasswordPolicyRulesAsync(string policyId, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.ListPasswordPolicyRulesAsync(policyId, ct), Read<IReadOnlyList<OktaPasswordPolicyRule>>, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaNetworkZone>>> ListNetworkZonesAsync(CancellationToken cancellationToken = default) =>
        RunAsync(inner.ListNetworkZonesAsync, Read<IReadOnlyList<OktaNetworkZone>>, cancellationToken);

    public Task<FactorVerifyResult> CancelPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.CancelPushAsync(handle, ct), Verify, cancellationToken);

    public Task<OktaResult<NoContent>> UnlockUserAsync(string userId, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.UnlockUserAsync(userId, ct), Read<NoContent>, cancellationToken);

    public Task<OktaResult<NoContent>> RevokeSessionsAsync(string userId, bool revokeOAuthTokens, bool? forgetDevices = null, CancellationToken cancellationToken = default) =>
        RunAsync(ct => inner.RevokeSessionsAsync(userId, revokeOAuthTokens, forgetDevices, ct), Read<NoContent>, cancellationToken);

    private static OktaResult<T> Read<T>(OktaUnavailable reason) => new OktaResult<T>.Unavailable(reason);

    private static FactorVerifyResult Verify(OktaUnavailable reason) => new FactorVerifyResult.Unavailable(reason);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, Func<OktaUnavailable, T> outOfTime, CancellationToken cancellationToken)
    {
        _startedAt ??= time.GetTimestamp();
        var remaining = budget - time.GetElapsedTime(_startedAt.Value);
        if (remaining <= TimeSpan.Zero)
        {
            return outOfTime(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: false));
        }

        using var deadline = new CancellationTokenSource(remaining, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            return await call(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Abandoned mid-call: Okta may have received it.
            return outOfTime(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));
        }
    }
}

/// <summary>
/// Okta's health as the whole portal has seen it lately: after an Okta call at the start of a flow gets
/// no usable answer, every new flow, whatever its username, is told the service is unavailable for
/// <see cref="Options.ResetOptions.OktaOutageHold"/>. So whether a person sees the outage page never
/// depends on a call only real accounts make (the factor list): that call's failure only sets this.
/// </summary>
public sealed class OktaHealth(TimeProvider time, Microsoft.Extensions.Options.IOptions<Options.ResetOptions> options)
{
    private long _degradedUntilTicks = DateTimeOffset.MinValue.UtcTicks;

    public bool IsDegraded => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _degradedUntilTicks);

    public void Failed() => Interlocked.Exchange(ref _degradedUntilTicks, (time.GetUtcNow() + options.Value.OktaOutageHold).UtcTicks);
}
