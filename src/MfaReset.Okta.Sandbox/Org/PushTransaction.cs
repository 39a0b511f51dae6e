using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>Where a push transaction stands.</summary>
internal enum PushState
{
    Waiting,
    Approved,
    Rejected,
    TimedOut,

    /// <summary>Cancelled through its <c>cancel</c> link: the phone stops showing it; polls answer <c>TIMEOUT</c>, the documented result of an unanswered push.</summary>
    Cancelled,
}

/// <summary>One push: a few fields, so thousands of concurrent ones stay cheap. Mutated under the user's gate.</summary>
internal sealed class PushTransaction(
    string id,
    OrgUser user,
    SeedFactor factor,
    DateTimeOffset sentAt,
    DateTimeOffset expiresAt,
    int? correctAnswer,
    int[] choices,
    string userAgent,
    string? clientIp)
{
    public string Id { get; } = id;

    public OrgUser User { get; } = user;

    public SeedFactor Factor { get; } = factor;

    public DateTimeOffset SentAt { get; } = sentAt;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public int? CorrectAnswer { get; } = correctAnswer;

    public int[] Choices { get; } = choices;

    public string UserAgent { get; } = userAgent;

    public string? ClientIp { get; } = clientIp;

    public PushState State { get; set; }

    /// <summary>Rejected because the phone's user picked a number other than the one the portal showed.</summary>
    public bool WrongNumberPicked { get; set; }

    /// <summary>The state as of <paramref name="now"/>: an unanswered push past its expiry has timed out.</summary>
    public PushState StateAt(DateTimeOffset now)
    {
        if (State == PushState.Waiting && now >= ExpiresAt)
        {
            State = PushState.TimedOut;
        }

        return State;
    }

    public PendingPush ToPending() =>
        new(Id, Factor.Id, SentAt, ExpiresAt, CorrectAnswer, Choices, UserAgent, ClientIp);
}
