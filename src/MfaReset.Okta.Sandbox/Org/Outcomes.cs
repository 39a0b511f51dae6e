using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>What a <c>POST .../verify</c> did; the API layer turns it into Okta's answer.</summary>
internal abstract record VerifyOutcome
{
    private VerifyOutcome()
    {
    }

    /// <summary>A code went out by SMS or voice: 200 <c>CHALLENGE</c>.</summary>
    public sealed record Challenged : VerifyOutcome;

    /// <summary>200 <c>SUCCESS</c>.</summary>
    public sealed record Succeeded : VerifyOutcome;

    /// <summary>A push went out: 201 <c>WAITING</c>.</summary>
    public sealed record PushSent(PushTransaction Transaction) : VerifyOutcome;

    /// <summary>Wrong passcode or answer: 403 <c>E0000068</c>.</summary>
    public sealed record Invalid(bool WasAnswer) : VerifyOutcome;

    /// <summary>A TOTP code that was already used: 403 <c>E0000082</c>.</summary>
    public sealed record Replayed : VerifyOutcome;

    /// <summary>Challenged again inside the cooldown: 429 (<c>E0000109</c> for SMS, <c>E0000047</c> for calls).</summary>
    public sealed record TooSoon(SandboxFactorKind Kind) : VerifyOutcome;

    /// <summary>Locked by failed verifications: 403 <c>E0000069</c>.</summary>
    public sealed record UserLocked : VerifyOutcome;

    /// <summary>The user's status forbids it (suspended): 403 <c>E0000038</c>.</summary>
    public sealed record NotAllowedInStatus : VerifyOutcome;

    /// <summary>A required input is missing (push without <c>User-Agent</c>, TOTP without <c>passCode</c>): 400 <c>E0000001</c>.</summary>
    public sealed record MissingInput(string Field, string Reason) : VerifyOutcome;
}

/// <summary>What setting a password did.</summary>
internal abstract record SetPasswordOutcome
{
    private SetPasswordOutcome()
    {
    }

    /// <summary>200 with the user.</summary>
    public sealed record Changed : SetPasswordOutcome;

    /// <summary>400 <c>E0000001</c>, one cause per broken rule.</summary>
    public sealed record Rejected(IReadOnlyList<PasswordRule> BrokenRules) : SetPasswordOutcome;

    /// <summary>403 <c>E0000038</c>.</summary>
    public sealed record NotAllowedInStatus : SetPasswordOutcome;

    /// <summary>400 <c>E0000001</c>: a FEDERATION or SOCIAL user has no password credential to set.</summary>
    public sealed record NoPasswordCredential : SetPasswordOutcome;

    /// <summary>412: the request's <c>If-Match</c> names a version the user no longer is; nothing was set.</summary>
    public sealed record UserChanged : SetPasswordOutcome;
}

/// <summary>What an unlock did.</summary>
internal enum UnlockOutcome
{
    Unlocked,
    NotAllowedInStatus,
}
