using MfaReset.Okta.Sandbox.Api;
using MfaReset.Okta.Sandbox.Org;

namespace MfaReset.Okta.Sandbox.Control;

/// <summary>The in-process <see cref="ISandboxControl"/>, over the same org the API serves.</summary>
internal sealed class SandboxControl(SandboxOrg org, FactorVerifier verifier, UserLifecycle lifecycle, CallCounter calls, RateLimitBuckets buckets, ResetLedger resets) : ISandboxControl
{
    public IReadOnlyList<SandboxUserInfo> ListUsers() => [.. org.Users.Select(Describe)];

    public SandboxUserInfo GetUser(string login) => Describe(org.GetByLogin(login));

    public IReadOnlyList<PhoneMessage> GetMessages(string login)
    {
        var user = org.GetByLogin(login);
        lock (user.Gate)
        {
            return [.. user.Messages];
        }
    }

    public PhoneMessage? GetLatestMessage(string login)
    {
        var user = org.GetByLogin(login);
        lock (user.Gate)
        {
            return user.Messages.FirstOrDefault();
        }
    }

    public void DeliverMail(string address, string subject, string text)
    {
        var user = org.GetByLogin(address);
        lock (user.Gate)
        {
            user.Mail.Insert(0, new InboxMail(address, subject, text, org.Clock.GetUtcNow()));
            if (user.Mail.Count > KeptMail)
            {
                user.Mail.RemoveAt(user.Mail.Count - 1);
            }
        }
    }

    public IReadOnlyList<InboxMail> GetMail(string login)
    {
        var user = org.GetByLogin(login);
        lock (user.Gate)
        {
            return [.. user.Mail];
        }
    }

    private const int KeptMail = 20;

    public IReadOnlyList<TotpCode> GetTotpCodes(string login)
    {
        var user = org.GetByLogin(login);
        var now = org.Clock.GetUtcNow();
        return
        [
            .. user.Seed.Factors.Where(f => f.IsTotp).Select(f => new TotpCode(
                f.Id, f.Kind, Totp.Code(f.TotpSecret!, now), Totp.SecondsLeft(now), OtpAuth.Uri(user.Seed, f))),
        ];
    }

    public IReadOnlyList<PendingPush> GetPendingPushes(string login)
    {
        var user = org.GetByLogin(login);
        var now = org.Clock.GetUtcNow();
        lock (user.Gate)
        {
            return [.. user.Pushes.Where(p => p.StateAt(now) == PushState.Waiting).Reverse().Select(p => p.ToPending())];
        }
    }

    public PushAnswerOutcome ApprovePush(string transactionId, int? pickedNumber = null) => verifier.Answer(transactionId, approve: true, pickedNumber);

    public PushAnswerOutcome DenyPush(string transactionId) => verifier.Answer(transactionId, approve: false, pickedNumber: null);

    public void ScriptNextPush(string login, ScriptedPushOutcome outcome)
    {
        var user = org.GetByLogin(login);
        lock (user.Gate)
        {
            user.NextPush = outcome;
        }
    }

    public void ScriptNextCall(string login, ScriptedCallFault fault) => Script(login, fault, operation: null);

    public void ScriptNextCall(string login, ScriptedCallFault fault, string operation) => Script(login, fault, operation);

    private void Script(string login, ScriptedCallFault fault, string? operation)
    {
        var user = org.GetByLogin(login);
        lock (user.Gate)
        {
            user.NextCall = fault;
            user.NextCallOperation = operation;
        }
    }

    public CallCounts GetCallCounts() => calls.Snapshot();

    public void ResetCallCounts() => calls.Reset();

    public bool IsCurrentPassword(string login, string password) => lifecycle.IsCurrentPassword(org.GetByLogin(login), password);

    public long Reset()
    {
        org.Reset();
        buckets.Reset();
        calls.Reset();
        var number = resets.Record();
        WasReset?.Invoke(this, new SandboxResetEventArgs(number));
        return number;
    }

    public event EventHandler<SandboxResetEventArgs>? WasReset;

    public Task<long> WaitForResetAsync(long after, TimeSpan timeout, CancellationToken cancellationToken) =>
        resets.WaitForResetAsync(after, timeout, cancellationToken);

    public void ReportPortalCleared(long reset) => resets.ReportCleared(reset);

    public Task<bool> PortalClearedAsync(long reset, TimeSpan timeout, CancellationToken cancellationToken) =>
        resets.PortalClearedAsync(reset, timeout, cancellationToken);

    private static SandboxUserInfo Describe(OrgUser user)
    {
        var seed = user.Seed;
        lock (user.Gate)
        {
            return new SandboxUserInfo(
                seed.Id, seed.Login, seed.DisplayName, user.Status, seed.Description, seed.IsDemoUser,
                [.. seed.Factors.Select(f => new SandboxFactorInfo(f.Id, f.Kind, f.FactorType, f.Provider, f.Label))],
                user.NextPush, user.NextCall, user.PasswordChanged, user.SessionsRevoked, user.OAuthTokensRevoked, seed.CredentialsProvider.Type, seed.Roles)
            {
                DevicesForgotten = user.DevicesForgotten,
            };
        }
    }
}
