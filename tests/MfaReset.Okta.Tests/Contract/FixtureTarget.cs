using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Contract;

/// <summary>Okta as its documentation shows it: each call is answered with the fixture the scenario names.</summary>
public sealed class FixtureTarget : IOktaTarget
{
    private const string FactorsUser = "00u15s1KDETTQMQYABRL";

    private readonly OktaStub _stub;
    private readonly ClientHost _host;

    private FixtureTarget(OktaStub stub, ClientHost host)
    {
        _stub = stub;
        _host = host;
    }

    public IOktaClient Client => _host.Client;

    /// <summary>The stub checks no token; the documented 401 answer is what the scenario names.</summary>
    public IOktaClient ClientWithAnotherToken => _host.Client;

    /// <summary>The ids of the documented requests (verifyFactor and friends).</summary>
    public TargetDirectory Directory { get; } = new(
        ActiveLogin: "isaac.brock@example.com",
        UnknownLogin: "missing@example.com",
        ManyFactorsUserId: FactorsUser,
        ManyFactorsKinds: [FactorKind.Unsupported, FactorKind.OktaVerifyTotp, FactorKind.Sms],
        Sms: new("", FactorsUser, "smsszf1YNUtGWTx4j0g3", FactorKind.Sms),
        Call: new("", FactorsUser, "clff17zuKEUMYQAQGCOV", FactorKind.Call),
        Push: new("", FactorsUser, "opfh52xcuft3J4uZc0g3", FactorKind.OktaVerifyPush),
        OktaVerifyTotp: new("", FactorsUser, "ostf17zuKEUMYQAQGCOV", FactorKind.OktaVerifyTotp),
        GoogleAuthenticator: new("", FactorsUser, "ostf17zuKEUMYQAQGCOV", FactorKind.GoogleAuthenticator),
        LockedUserId: "00ub0oNGTSWTBKOLGLNR",
        PasswordUserId: "00ub0oNGTSWTBKOLGLNR",
        AdminUserId: "00ub0oNGTSWTBKOLGLNR",
        ImportLogin: "isaac.brock@example.com",
        FederationLogin: "isaac.brock@example.com");

    public int RequestCount => _stub.TotalRequests;

    public static async Task<IOktaTarget> StartAsync()
    {
        var clock = new TestClock(ReplayContext.ReplayNow);
        var stub = await OktaStub.StartAsync(clock);
        return new FixtureTarget(stub, ClientHost.Create(stub.OrgUrl, clock));
    }

    /// <summary>Each call's answer is set by <see cref="Documents"/>; there is nothing else to reset.</summary>
    public void Reset()
    {
    }

    /// <summary>The stub serves the fixture on its documented route only, so a call to another path fails the scenario.</summary>
    public void Documents(string fixture)
    {
        var documented = ContractFixture.Load(fixture);
        _stub.Serve(documented.Response.ToStub(), only: StubRoute.Of(documented));
    }

    /// <summary>The passCode of the documented successful verify requests.</summary>
    public string CurrentCode(TargetFactor factor) => "123456";

    /// <summary>The passCode of the documented E0000068 requests.</summary>
    public string WrongCode(TargetFactor factor) => "000000";

    /// <summary>The documented poll answers stand for the phone.</summary>
    public void AnswerPush(TargetFactor factor, bool approve)
    {
    }

    /// <summary>The documented TIMEOUT answer stands for the passing time.</summary>
    public void LetPushExpire()
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _stub.DisposeAsync();
    }
}
