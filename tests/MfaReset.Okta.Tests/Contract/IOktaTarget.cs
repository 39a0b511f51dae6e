namespace MfaReset.Okta.Tests.Contract;

/// <summary>
/// An Okta the contract scenarios run against: the documented fixtures served by a loopback stub, or
/// the sandbox. The scenarios make the same calls and the same assertions on both; only the people,
/// ids and codes come from the target, since the fixtures' sample ids and dates are not the sandbox's.
/// </summary>
public interface IOktaTarget : IAsyncDisposable
{
    /// <summary>The real client, wired as the portal wires it, pointed at this target.</summary>
    IOktaClient Client { get; }

    /// <summary>The same client with a token this target does not accept.</summary>
    IOktaClient ClientWithAnotherToken { get; }

    /// <summary>Who is who in this target.</summary>
    TargetDirectory Directory { get; }

    /// <summary>Back to the starting state: users, codes, pushes, throttles.</summary>
    void Reset();

    /// <summary>Every Okta API request made so far.</summary>
    int RequestCount { get; }

    /// <summary>
    /// The next call is answered as <paramref name="fixture"/> documents. The stub serves that file;
    /// the sandbox answers by itself and must answer the same way.
    /// </summary>
    void Documents(string fixture);

    /// <summary>The code the person reads off the phone or app for <paramref name="factor"/> right now.</summary>
    string CurrentCode(TargetFactor factor);

    /// <summary>A code that is certainly not the current one.</summary>
    string WrongCode(TargetFactor factor);

    /// <summary>The person taps approve (picking the number shown when number matching is on) or deny.</summary>
    void AnswerPush(TargetFactor factor, bool approve);

    /// <summary>The push lifetime passes without an answer.</summary>
    void LetPushExpire();
}

/// <summary>An enrolled factor of a person in the target.</summary>
public sealed record TargetFactor(string Login, string UserId, string FactorId, FactorKind Kind);

/// <summary>The people the scenarios need.</summary>
/// <param name="ActiveLogin">An ACTIVE user with Okta-managed credentials.</param>
/// <param name="UnknownLogin">A login no user has.</param>
/// <param name="ManyFactorsUserId">A user with several factors, and the kinds the client must see, in Okta's order.</param>
/// <param name="LockedUserId">A LOCKED_OUT user to unlock.</param>
/// <param name="PasswordUserId">An ACTIVE user whose password may be set, without admin roles.</param>
/// <param name="AdminUserId">A user holding the SUPER_ADMIN role.</param>
/// <param name="ImportLogin">An ACTIVE user with IMPORT credentials.</param>
/// <param name="FederationLogin">An ACTIVE user with FEDERATION credentials (no password).</param>
public sealed record TargetDirectory(
    string ActiveLogin,
    string UnknownLogin,
    string ManyFactorsUserId,
    IReadOnlyList<FactorKind> ManyFactorsKinds,
    TargetFactor Sms,
    TargetFactor Call,
    TargetFactor Push,
    TargetFactor OktaVerifyTotp,
    TargetFactor GoogleAuthenticator,
    string LockedUserId,
    string PasswordUserId,
    string AdminUserId,
    string ImportLogin,
    string FederationLogin)
{
    /// <summary>Meets the sandbox's and any sane org's policy.</summary>
    public const string StrongPassword = "Purple-Gondola-42";

    /// <summary>Breaks every rule; the value Okta's documented E0000001 echoes.</summary>
    public const string WeakPassword = "aaaa";

    public TargetFactor Factor(FactorKind kind) => kind switch
    {
        FactorKind.Sms => Sms,
        FactorKind.Call => Call,
        FactorKind.OktaVerifyPush => Push,
        FactorKind.OktaVerifyTotp => OktaVerifyTotp,
        FactorKind.GoogleAuthenticator => GoogleAuthenticator,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a factor the portal verifies."),
    };
}
