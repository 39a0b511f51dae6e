using MfaReset.Okta.Sandbox.Control;


namespace MfaReset.LoadTest.Sandbox;

/// <summary>The probe for a sandbox running in this process: straight calls on its control object.</summary>
internal sealed class InProcessProbe(ISandboxControl control) : ISandboxProbe
{
    public Task<IReadOnlyList<ProbeUser>> UsersAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ProbeUser>>(
            [.. control.ListUsers().Select(u => ProbeUsers.From(u.Login, u.Status, u.IsDemoUser, u.CredentialsProvider, u.AdminRoles.Count, u.Factors.Select(f => f.Kind)))]);

    public Task<string?> LatestPhoneCodeAsync(string login, CancellationToken ct) =>
        Task.FromResult(control.GetLatestMessage(login)?.Code);

    public Task<string> TotpCodeAsync(string login, ResetKind kind, CancellationToken ct)
    {
        var factorKind = ProbeUsers.TotpFactorKind(kind);
        return Task.FromResult(control.GetTotpCodes(login).First(c => c.Kind == factorKind).Code);
    }

    public Task<ProbePush?> PendingPushAsync(string login, CancellationToken ct) =>
        Task.FromResult(control.GetPendingPushes(login) is [var newest, ..] ? new ProbePush(newest.TransactionId, newest.CorrectAnswer) : null);

    public Task<bool> ApprovePushAsync(string transactionId, int? number, CancellationToken ct) =>
        Task.FromResult(control.ApprovePush(transactionId, number) == PushAnswerOutcome.Approved);

    public Task<ProbeCallCounts> CallCountsAsync(CancellationToken ct)
    {
        var counts = control.GetCallCounts();
        return Task.FromResult(new ProbeCallCounts(counts.ByOperation, counts.ByUser));
    }
}

/// <summary>Maps the sandbox's factor kinds onto the kinds of reset the portal's menu offers.</summary>
internal static class ProbeUsers
{
    /// <summary>
    /// A user the pool can hand out: ACTIVE (a locked-out user would add an unlock call to its reset), with
    /// an Okta-held password and no admin role (the others end at the help desk or an identity provider).
    /// </summary>
    public static ProbeUser From(string login, string status, bool isDemoUser, string? provider, int adminRoles, IEnumerable<SandboxFactorKind> factors) =>
        new(login, isDemoUser, status == "ACTIVE" && provider is null or "OKTA" or "IMPORT" && adminRoles == 0
            ? factors.Select(ToResetKind).OfType<ResetKind>().ToHashSet()
            : []);

    public static SandboxFactorKind TotpFactorKind(ResetKind kind) => kind switch
    {
        ResetKind.OktaVerifyTotp => SandboxFactorKind.OktaVerifyTotp,
        ResetKind.GoogleAuthenticator => SandboxFactorKind.GoogleAuthenticator,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a TOTP kind."),
    };

    private static ResetKind? ToResetKind(SandboxFactorKind kind) => kind switch
    {
        SandboxFactorKind.Sms => ResetKind.Sms,
        SandboxFactorKind.Call => ResetKind.Voice,
        SandboxFactorKind.OktaVerifyPush => ResetKind.Push,
        SandboxFactorKind.OktaVerifyTotp => ResetKind.OktaVerifyTotp,
        SandboxFactorKind.GoogleAuthenticator => ResetKind.GoogleAuthenticator,
        _ => null,
    };
}
