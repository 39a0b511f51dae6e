using System.Globalization;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Contract;

/// <summary>
/// The sandbox, on the same test clock as the client, with its demo users (README of the sandbox).
/// Codes come from the simulated phone and authenticator apps; pushes are answered on the phone.
/// </summary>
public sealed class SandboxTarget : IOktaTarget
{
    private static readonly TimeSpan PushLifetime = TimeSpan.FromMinutes(5);

    private readonly RunningSandbox _sandbox;
    private readonly TestClock _clock;
    private readonly ClientHost _host;
    private readonly ClientHost _wrongTokenHost;

    private SandboxTarget(RunningSandbox sandbox, TestClock clock)
    {
        _sandbox = sandbox;
        _clock = clock;
        _host = ClientHost.Create(sandbox.BaseUrl, clock, apiToken: sandbox.ApiToken);
        _wrongTokenHost = ClientHost.Create(sandbox.BaseUrl, clock, apiToken: "00not-the-sandbox-token");
        Directory = new TargetDirectory(
            ActiveLogin: "sam.sms@example.com",
            UnknownLogin: "missing@example.com",
            ManyFactorsUserId: Control.GetUser("max.multi@example.com").Id,
            ManyFactorsKinds: Control.GetUser("max.multi@example.com").Factors.Select(f => KindOf(f.Kind)).ToArray(),
            Sms: Factor("sam.sms@example.com", SandboxFactorKind.Sms),
            Call: Factor("vera.voice@example.com", SandboxFactorKind.Call),
            Push: Factor("pat.push@example.com", SandboxFactorKind.OktaVerifyPush),
            OktaVerifyTotp: Factor("tom.totp@example.com", SandboxFactorKind.OktaVerifyTotp),
            GoogleAuthenticator: Factor("gail.google@example.com", SandboxFactorKind.GoogleAuthenticator),
            LockedUserId: Control.GetUser("lou.locked@example.com").Id,
            PasswordUserId: Control.GetUser("nora.nofactors@example.com").Id,
            AdminUserId: Control.GetUser("ada.admin@example.com").Id,
            ImportLogin: "ivy.import@example.com",
            FederationLogin: "fred.federated@example.com");
    }

    public IOktaClient Client => _host.Client;

    public IOktaClient ClientWithAnotherToken => _wrongTokenHost.Client;

    public TargetDirectory Directory { get; }

    public int RequestCount => (int)Control.GetCallCounts().Total;

    /// <summary>The simulated phones and the trainer's switches.</summary>
    public ISandboxControl Control => _sandbox.Control;

    /// <summary>The clock the sandbox and the client share.</summary>
    public TestClock Clock => _clock;

    public static async Task<IOktaTarget> StartAsync()
    {
        var clock = new TestClock();
        var sandbox = await OktaSandbox.StartAsync(new SandboxOptions { PushLifetime = PushLifetime }, clock);
        return new SandboxTarget(sandbox, clock);
    }

    public void Reset()
    {
        Control.Reset();
        _clock.ClaimStartedTimers();
    }

    /// <summary>The sandbox answers for itself; the scenario's assertions say whether it answered as documented.</summary>
    public void Documents(string fixture)
    {
    }

    public string CurrentCode(TargetFactor factor) => factor.Kind switch
    {
        FactorKind.Sms or FactorKind.Call => Control.GetLatestMessage(factor.Login)?.Code
            ?? throw new InvalidOperationException($"No code was sent to {factor.Login}."),
        _ => Control.GetTotpCodes(factor.Login).Single(c => c.FactorId == factor.FactorId).Code,
    };

    public string WrongCode(TargetFactor factor) =>
        ((int.Parse(CurrentCode(factor), CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public void AnswerPush(TargetFactor factor, bool approve)
    {
        var push = Control.GetPendingPushes(factor.Login)[0];
        var outcome = approve ? Control.ApprovePush(push.TransactionId, push.CorrectAnswer) : Control.DenyPush(push.TransactionId);
        Assert.Equal(approve ? PushAnswerOutcome.Approved : PushAnswerOutcome.Denied, outcome);
    }

    public void LetPushExpire() => _clock.Advance(PushLifetime + TimeSpan.FromSeconds(1));

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wrongTokenHost.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private TargetFactor Factor(string login, SandboxFactorKind kind)
    {
        var user = Control.GetUser(login);
        return new TargetFactor(login, user.Id, user.Factors.Single(f => f.Kind == kind).Id, KindOf(kind));
    }

    private static FactorKind KindOf(SandboxFactorKind kind) => kind switch
    {
        SandboxFactorKind.Sms => FactorKind.Sms,
        SandboxFactorKind.Call => FactorKind.Call,
        SandboxFactorKind.OktaVerifyPush => FactorKind.OktaVerifyPush,
        SandboxFactorKind.OktaVerifyTotp => FactorKind.OktaVerifyTotp,
        SandboxFactorKind.GoogleAuthenticator => FactorKind.GoogleAuthenticator,
        SandboxFactorKind.Email => FactorKind.Email,
        _ => FactorKind.Unsupported,
    };
}
