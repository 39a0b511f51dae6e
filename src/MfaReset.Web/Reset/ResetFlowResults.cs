using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Reset;

/// <summary>What the browser gets after a successful verification: a new flow cookie and the reset token.</summary>
/// <param name="FlowSecret">The rotated flow cookie value (the old one stops working).</param>
/// <param name="ResetToken">The one-time reset token (only its hash is stored); null for an unlock, which ends at verification.</param>
public sealed record VerifiedCredentials(string FlowSecret, string? ResetToken)
{
    /// <summary>The first of two methods was verified: the person chooses a second, different one next (no token yet).</summary>
    public bool SecondMethodNeeded { get; init; }

    public override string ToString() => "VerifiedCredentials";
}

/// <summary>What any page of a flow may know of it: the id its forms carry, and whether it is a reset or an unlock.</summary>
public sealed record FlowLabel(string PublicId, FlowPurpose Purpose);

/// <summary>One entry of the factor menu as the page shows it; <paramref name="PhoneMask"/> is the masked number or address an enrolled method's label names.</summary>
public sealed record FactorOption(string Key, FactorKind Kind, string Label, bool IsPhone, string? PhoneMask = null);

public abstract record StartResult
{
    private StartResult()
    {
    }

    public sealed record Started(string FlowSecret) : StartResult
    {
        public override string ToString() => "Started";
    }

    public sealed record Failed(FlowProblem Problem) : StartResult;
}

public abstract record MenuResult
{
    private MenuResult()
    {
    }

    public sealed record Menu(IReadOnlyList<FactorOption> Options, string? SelectedKey) : MenuResult
    {
        /// <summary>One method is already verified and the reset needs a second, different one (the first is not offered again).</summary>
        public bool SecondMethod { get; init; }
    }

    public sealed record Failed(FlowProblem Problem) : MenuResult;
}

public abstract record ChooseResult
{
    private ChooseResult()
    {
    }

    /// <summary>Continue on the code page.</summary>
    public sealed record EnterCode : ChooseResult;

    /// <summary>Continue on the push page.</summary>
    public sealed record WaitForPush : ChooseResult;

    /// <summary>The submitted key is not on this flow's menu. Nothing was sent.</summary>
    public sealed record UnknownChoice : ChooseResult;

    /// <summary>Okta's answer for the current method is still awaited; the method stays as it is. Choose again in a moment.</summary>
    public sealed record VerificationInFlight : ChooseResult;

    public sealed record Failed(FlowProblem Problem) : ChooseResult;
}

/// <summary>What the code page shows.</summary>
/// <param name="Kind">The chosen kind.</param>
/// <param name="Label">Its label.</param>
/// <param name="CodeSent">For SMS/voice: a code was sent in this flow (otherwise the page shows the send step).</param>
/// <param name="SendAgainAt">For SMS/voice: when "send again" becomes available; null when no more sends are allowed.</param>
/// <param name="AttemptsLeft">Code checks left in this flow.</param>
/// <param name="EndsAt">When the flow ends unless the person acts (idle timeout or the flow's own end).</param>
/// <param name="PhoneMask">The masked number its label names, for an enrolled phone.</param>
public sealed record CodeStep(FactorKind Kind, string Label, bool CodeSent, DateTimeOffset? SendAgainAt, int AttemptsLeft, DateTimeOffset EndsAt, string? PhoneMask = null);

public abstract record CodeStepResult
{
    private CodeStepResult()
    {
    }

    public sealed record Ready(CodeStep Step) : CodeStepResult;

    public sealed record Failed(FlowProblem Problem) : CodeStepResult;
}

public abstract record SendCodeResult
{
    private SendCodeResult()
    {
    }

    /// <summary>A code was sent; <paramref name="Resend"/> when an earlier code of this flow went to the same method.</summary>
    public sealed record Sent(bool Resend) : SendCodeResult;

    /// <summary>Too soon after the last code (of this flow, or of another flow for this person); nothing was sent or spent.</summary>
    public sealed record TooSoon(DateTimeOffset AvailableAt) : SendCodeResult;

    /// <summary>The portal's daily SMS and voice budget is spent; nothing was sent. The flow goes on with another method.</summary>
    public sealed record PhoneUnavailable : SendCodeResult;

    /// <summary>
    /// Okta refused to send for now (its SMS or call throttle, a telephony limit); nothing was sent. The
    /// person may send again from <paramref name="AvailableAt"/> or choose another method.
    /// </summary>
    public sealed record PhoneBusy(DateTimeOffset AvailableAt) : SendCodeResult;

    public sealed record Failed(FlowProblem Problem) : SendCodeResult;
}

public abstract record VerifyCodeResult
{
    private VerifyCodeResult()
    {
    }

    public sealed record Verified(VerifiedCredentials Credentials) : VerifyCodeResult;

    /// <summary>The code did not match (or could not be checked as a code); the flow goes on.</summary>
    public sealed record WrongCode(int AttemptsLeft) : VerifyCodeResult;

    /// <summary>
    /// The code was right but cannot be used now: already used, or outside the time window. The person
    /// waits for the next code. <paramref name="AttemptsLeft"/> counts it only where Okta counted it.
    /// </summary>
    public sealed record CodeAlreadyUsed(CodeReuse Reason, int AttemptsLeft) : VerifyCodeResult;

    /// <summary>The code is not 6 to 8 digits. Okta was not called.</summary>
    public sealed record Malformed : VerifyCodeResult;

    /// <summary>SMS/voice: no code was sent yet. Okta was not called.</summary>
    public sealed record NotSent : VerifyCodeResult;

    public sealed record Failed(FlowProblem Problem) : VerifyCodeResult
    {
        /// <summary>When the refusal ends, for one that does (<see cref="FlowProblem.PasswordTooNew"/>).</summary>
        public DateTimeOffset? Until { get; init; }
    }
}

/// <summary>What the push page shows.</summary>
/// <param name="Status">The push's status; null before the send step.</param>
/// <param name="Number">The number to tap, when number matching is on.</param>
/// <param name="SendAgainAt">When another push may be sent; null when no more pushes are allowed.</param>
/// <param name="NextPoll">When the page should ask again.</param>
/// <param name="SentAt">When the shown push was sent; null before the send step.</param>
/// <param name="PushExpiresAt">When the shown push stops being answerable.</param>
/// <param name="EndsAt">When the flow ends unless the person acts (idle timeout or the flow's own end).</param>
public sealed record PushStep(PushStatus? Status, int? Number, DateTimeOffset? SendAgainAt, TimeSpan NextPoll, DateTimeOffset? SentAt, DateTimeOffset? PushExpiresAt, DateTimeOffset EndsAt);

public abstract record PushStepResult
{
    private PushStepResult()
    {
    }

    public sealed record Ready(PushStep Step) : PushStepResult;

    public sealed record Failed(FlowProblem Problem) : PushStepResult;
}

public abstract record SendPushResult
{
    private SendPushResult()
    {
    }

    public sealed record Sent : SendPushResult;

    /// <summary>Too soon after the last push (or another push to this person is still open); nothing was sent.</summary>
    public sealed record TooSoon(DateTimeOffset AvailableAt) : SendPushResult
    {
        /// <summary>Held back by another flow's push that is still waiting for an answer (not by the gap after the last push).</summary>
        public bool OtherPushOpen { get; init; }
    }

    public sealed record Failed(FlowProblem Problem) : SendPushResult;
}

public abstract record PollResult
{
    private PollResult()
    {
    }

    /// <summary>The push's state; <paramref name="Verified"/> is set only to the request that observed the approval.</summary>
    public sealed record Status(PushStatus State, int? Number, TimeSpan NextPoll, VerifiedCredentials? Verified) : PollResult;

    /// <summary>No flow with a push for this cookie. Okta was not called.</summary>
    public sealed record NoPush : PollResult;

    public sealed record Failed(FlowProblem Problem) : PollResult
    {
        /// <summary>When the refusal ends, for one that does (<see cref="FlowProblem.PasswordTooNew"/>).</summary>
        public DateTimeOffset? Until { get; init; }
    }
}

public abstract record PasswordStepResult
{
    private PasswordStepResult()
    {
    }

    public sealed record Ready(int AttemptsLeft) : PasswordStepResult
    {
        /// <summary>The password policy's rules as a checklist: the applicable Okta policy's, else the configured fallback.</summary>
        public IReadOnlyList<PasswordRule> PolicyRules { get; init; } = [];

        /// <summary>What the password must not contain (lowercase), for the checklist's live check of the "username" lines.</summary>
        public IReadOnlyList<string> PersonalWords { get; init; } = [];
    }

    public sealed record Failed(FlowProblem Problem) : PasswordStepResult;
}

public abstract record ChangePasswordResult
{
    private ChangePasswordResult()
    {
    }

    public sealed record Changed : ChangePasswordResult;

    /// <summary>Okta's policy refused the password; the token stays usable for <paramref name="AttemptsLeft"/> more tries.</summary>
    public sealed record Rejected(IReadOnlyList<string> Reasons, int AttemptsLeft) : ChangePasswordResult;

    /// <summary>The portal's own checks refused the password before Okta was asked; nothing was spent.</summary>
    public sealed record Weak(IReadOnlyList<PasswordWeakness> Weaknesses) : ChangePasswordResult
    {
        /// <summary>Every checklist line the password fails, in the checklist's order.</summary>
        public IReadOnlyList<PasswordRule> FailedRules { get; init; } = [];
    }

    /// <summary>
    /// Okta's answer was lost, and reading the user back showed the password was not changed. The token
    /// is usable again: the person may submit once more (the portal never re-sends by itself).
    /// </summary>
    public sealed record NotChanged : ChangePasswordResult;

    public sealed record Failed(FlowProblem Problem) : ChangePasswordResult;
}

/// <summary>What the done page may say.</summary>
public abstract record DoneResult
{
    private DoneResult()
    {
    }

    /// <summary>This browser's flow changed the password; what else the portal did afterwards.</summary>
    public sealed record Done(bool AccountUnlocked, bool SessionsRevoked) : DoneResult;

    /// <summary>An unlock flow was verified: <paramref name="WasLocked"/> says whether the portal unlocked the account or found it not locked.</summary>
    public sealed record Unlocked(bool WasLocked) : DoneResult;

    /// <summary>No completed flow behind this browser: the done page is not shown.</summary>
    public sealed record Failed(FlowProblem Problem) : DoneResult;
}
