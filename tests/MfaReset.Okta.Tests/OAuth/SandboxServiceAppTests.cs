using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Tests.Contract;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.OAuth;

/// <summary>
/// The scenarios of <see cref="OAuthReplayTests"/> against the sandbox's token endpoint and API, with the same
/// outcomes: Bearer and DPoP tokens, the nonce and proof-required retries, scopes enforced per operation,
/// refusals as an outage for every call, and a whole reset with a service app.
/// </summary>
public sealed class SandboxServiceAppTests
{
    private const string Sam = "sam.sms@example.com";

    private readonly TestClock _clock = new();

    [Fact]
    public async Task BearerTokenFromTheSandboxReadsAUser()
    {
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions());
        await using var host = Client(sandbox);

        var result = await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken);

        Assert.Equal(Sam, Assert.IsType<OktaResult<OktaUser>.Ok>(result).Value.Login);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 1150 && e.GetStructuredStateValue("TokenType") == "Bearer");
    }

    [Theory]
    [InlineData(true, false, 2)]
    [InlineData(true, true, 3)]
    public async Task AppThatRequiresDpopGetsADpopTokenAfterTheDocumentedRetries(bool requireDpop, bool requireNonce, int tokenRequests)
    {
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions { RequireDpop = requireDpop, RequireDpopNonce = requireNonce });
        await using var host = Client(sandbox);

        var result = await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken);

        Assert.IsType<OktaResult<OktaUser>.Ok>(result);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 1150 && e.GetStructuredStateValue("TokenType") == "DPoP");
        Assert.Equal(tokenRequests - 1, host.Logs.GetSnapshot().Count(e => e.Id.Id == 1151));
    }

    [Fact]
    public async Task WholeSmsResetRunsWithAServiceAppThatRequiresADpopNonce()
    {
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions { RequireDpop = true, RequireDpopNonce = true });
        await using var host = Client(sandbox);
        var client = host.Client;

        var user = Assert.IsType<OktaResult<OktaUser>.Ok>(await client.GetUserAsync(Sam, TestContext.Current.CancellationToken)).Value;
        Assert.IsType<OktaResult<IReadOnlyList<OktaRole>>.Ok>(await client.ListAssignedRolesAsync(user.Id, TestContext.Current.CancellationToken));
        var sms = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(await client.ListFactorsAsync(user.Id, TestContext.Current.CancellationToken)).Value);
        Assert.IsType<FactorVerifyResult.ChallengeSent>(await client.ChallengeAsync(user.Id, sms.Id, cancellationToken: TestContext.Current.CancellationToken));
        var code = sandbox.Control.GetLatestMessage(Sam)!.Code;
        Assert.IsType<FactorVerifyResult.Success>(await client.VerifyPasscodeAsync(user.Id, sms.Id, code, cancellationToken: TestContext.Current.CancellationToken));
        Assert.IsType<SetPasswordResult.Changed>(await client.SetPasswordAsync(user.Id, TargetDirectory.StrongPassword, cancellationToken: TestContext.Current.CancellationToken));
        Assert.IsType<OktaResult<NoContent>.Ok>(await client.RevokeSessionsAsync(user.Id, revokeOAuthTokens: true, cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(sandbox.Control.IsCurrentPassword(Sam, TargetDirectory.StrongPassword));
        Assert.Single(host.Logs.GetSnapshot(), e => e.Id.Id == 1150);
    }

    [Fact]
    public async Task TokenWithoutTheOperationsScopeIsRefusedWithOktasInsufficientScope()
    {
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions { RequireDpop = true });
        await using var host = Client(sandbox, new Dictionary<string, string?> { ["Okta:Scopes:0"] = "okta.users.read" });
        var user = Assert.IsType<OktaResult<OktaUser>.Ok>(await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken)).Value;

        var roles = await host.Client.ListAssignedRolesAsync(user.Id, TestContext.Current.CancellationToken);
        var challenge = await host.Client.ChallengeAsync(user.Id, sandbox.Control.GetUser(Sam).Factors[0].Id, cancellationToken: TestContext.Current.CancellationToken);

        var rolesError = Assert.IsType<OktaResult<IReadOnlyList<OktaRole>>.Failed>(roles).Error;
        Assert.Equal((403, "insufficient_scope"), (rolesError.HttpStatus, rolesError.ErrorCode));
        Assert.Equal("The access token provided does not contain the required scopes.", rolesError.ErrorSummary);
        Assert.Equal((403, "insufficient_scope"), (Assert.IsType<FactorVerifyResult.Failed>(challenge).Error.HttpStatus, ((FactorVerifyResult.Failed)challenge).Error.ErrorCode));
        Assert.Null(sandbox.Control.GetLatestMessage(Sam));
    }

    [Fact]
    public async Task ScopesNotGrantedToTheAppAreAnOutageForEveryCall()
    {
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions { GrantedScopes = ["okta.users.read"] });
        await using var host = Client(sandbox);

        var known = await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken);
        var unknown = await host.Client.GetUserAsync("nobody@example.com", TestContext.Current.CancellationToken);

        Assert.Equal(OktaUnavailableKind.NoAccessToken, Assert.IsType<OktaResult<OktaUser>.Unavailable>(known).Reason.Kind);
        Assert.Equal(OktaUnavailableKind.NoAccessToken, Assert.IsType<OktaResult<OktaUser>.Unavailable>(unknown).Reason.Kind);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 1152 && e.GetStructuredStateValue("Error") == "consent_required");
    }

    [Fact]
    public async Task AssertionSignedWithAnotherKeyIsRefusedAsInvalidClient()
    {
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions());
        await using var host = ClientHost.Create(sandbox.BaseUrl, _clock, settings: ServiceApp.Settings(new Dictionary<string, string?>
        {
            ["Okta:ClientId"] = sandbox.ServiceApp.ClientId,
            ["Okta:KeyId"] = sandbox.ServiceApp.KeyId,
        }));

        var result = await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken);

        Assert.Equal(OktaUnavailableKind.NoAccessToken, Assert.IsType<OktaResult<OktaUser>.Unavailable>(result).Reason.Kind);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 1152 && e.GetStructuredStateValue("Error") == "invalid_client");
    }

    [Fact]
    public async Task Es256AssertionFromAP256KeyIsAccepted()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions { PublicKey = key.ExportSubjectPublicKeyInfoPem(), RequireDpop = true });
        await using var host = ClientHost.Create(sandbox.BaseUrl, _clock, settings: ServiceApp.Settings(new Dictionary<string, string?>
        {
            ["Okta:ClientId"] = sandbox.ServiceApp.ClientId,
            ["Okta:KeyId"] = sandbox.ServiceApp.KeyId,
            ["Okta:PrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
        }));

        var result = await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken);

        Assert.IsType<OktaResult<OktaUser>.Ok>(result);
    }

    [Fact]
    public async Task ExpiredSandboxTokenIsReplacedBeforeItIsUsed()
    {
        await using var sandbox = await StartAsync(new SandboxServiceAppOptions { RequireDpop = true, TokenLifetime = TimeSpan.FromMinutes(2) });
        await using var host = Client(sandbox);

        Assert.IsType<OktaResult<OktaUser>.Ok>(await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken));
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.IsType<OktaResult<OktaUser>.Ok>(await host.Client.GetUserAsync(Sam, TestContext.Current.CancellationToken));

        Assert.Equal(2, host.Logs.GetSnapshot().Count(e => e.Id.Id == 1150));
    }

    private Task<RunningSandbox> StartAsync(SandboxServiceAppOptions app) =>
        OktaSandbox.StartAsync(new SandboxOptions { ServiceApp = app }, _clock);

    private ClientHost Client(RunningSandbox sandbox, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Okta:ClientId"] = sandbox.ServiceApp.ClientId,
            ["Okta:KeyId"] = sandbox.ServiceApp.KeyId,
            ["Okta:PrivateKey"] = sandbox.ServiceApp.DemoPrivateKeyPem,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return ClientHost.Create(sandbox.BaseUrl, _clock, settings: ServiceApp.Settings(settings));
    }
}
