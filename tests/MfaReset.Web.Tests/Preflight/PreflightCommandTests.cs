using MfaReset.Okta.Sandbox;
using MfaReset.Web.Preflight;

namespace MfaReset.Web.Tests.Preflight;

/// <summary>
/// <c>check-okta</c> run as an operator runs it, against a sandbox whose service app is granted everything, or whose
/// token or admin role withholds one read: Okta's answers for each (403 <c>insufficient_scope</c> in
/// <c>WWW-Authenticate</c>, shared/okta-contract oauthToken/api-call-insufficient-scope-bearer.403.json; 403
/// <c>E0000006</c>, errors/E0000006-access-denied.403.json) become the line that names what to fix.
/// </summary>
public sealed class PreflightCommandTests
{
    private static readonly string[] Reads = ["getUser", "listFactors", "listAssignedRolesForUser", "listUserGroups", "listPolicies", "listPolicyRules"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithEveryGrantEveryReadIsFineAndTheExitCodeIsZero(bool asServiceApp)
    {
        await using var sandbox = await OktaSandbox.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);

        var (exitCode, lines) = await RunAsync(asServiceApp ? ServiceAppSettings(sandbox) : ApiTokenSettings(sandbox));

        Assert.Equal(PreflightCommand.AllFine, exitCode);
        Assert.All(Reads, read => Assert.StartsWith(read + ": fine", Line(lines, read), StringComparison.Ordinal));
        Assert.Equal(Reads.Length, lines.Count);
    }

    [Fact]
    public async Task AScopeTheTokenLacksIsNamedAsAMissingScopeForItsReadsOnly()
    {
        await using var sandbox = await OktaSandbox.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);
        string[] withoutRoles = ["--Okta:Scopes:0=okta.users.read", "--Okta:Scopes:1=okta.users.manage", "--Okta:Scopes:2=okta.policies.read"];

        var (exitCode, lines) = await RunAsync([.. ServiceAppSettings(sandbox), .. withoutRoles]);

        Assert.Equal(PreflightCommand.SomethingMissing, exitCode);
        Assert.StartsWith("listAssignedRolesForUser: missing scope - grant the service app okta.roles.read", Line(lines, "listAssignedRolesForUser"), StringComparison.Ordinal);
        Assert.All(Reads.Where(read => read != "listAssignedRolesForUser"), read => Assert.StartsWith(read + ": fine", Line(lines, read), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("listAssignedRolesForUser")]
    [InlineData("listPolicies")]
    [InlineData("listPolicyRules")]
    public async Task AReadTheAdminRoleDoesNotPermitIsNamedAsAMissingAdminPermission(string denied)
    {
        var options = new SandboxOptions();
        options.ServiceApp.DeniedOperations = [denied];
        await using var sandbox = await OktaSandbox.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        var (exitCode, lines) = await RunAsync(ServiceAppSettings(sandbox));

        Assert.Equal(PreflightCommand.SomethingMissing, exitCode);
        Assert.StartsWith(denied + ": missing admin permission", Line(lines, denied), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiTokensAdminRoleIsCheckedToo()
    {
        var options = new SandboxOptions();
        options.ServiceApp.DeniedOperations = ["getUser"];
        await using var sandbox = await OktaSandbox.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        var (exitCode, lines) = await RunAsync(ApiTokenSettings(sandbox));

        Assert.Equal(PreflightCommand.SomethingMissing, exitCode);
        Assert.StartsWith("getUser: missing admin permission", Line(lines, "getUser"), StringComparison.Ordinal);
        Assert.StartsWith("listFactors: fine", Line(lines, "listFactors"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrgThatDoesNotAnswerIsUnreachable()
    {
        var (exitCode, lines) = await RunAsync(["--Okta:OrgUrl=https://127.0.0.1:9", "--Okta:ApiToken=unused"]);

        Assert.Equal(PreflightCommand.SomethingMissing, exitCode);
        Assert.StartsWith("getUser: unreachable", Line(lines, "getUser"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidConfigurationIsNamedAndNoOktaIsAsked()
    {
        var (exitCode, lines) = await RunAsync(["--Okta:OrgUrl=https://example.okta.com"]);

        Assert.Equal(PreflightCommand.ConfigurationInvalid, exitCode);
        Assert.StartsWith("The configuration is not valid:", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnArgumentThatIsNotASettingIsAUsageError()
    {
        var (exitCode, lines) = await RunAsync(["stray"]);

        Assert.Equal(PreflightCommand.ConfigurationInvalid, exitCode);
        Assert.StartsWith("Usage:", lines[0], StringComparison.Ordinal);
    }

    private static string Line(IReadOnlyList<string> lines, string operation) =>
        Assert.Single(lines, line => line.StartsWith(operation + ":", StringComparison.Ordinal));

    private static string[] ApiTokenSettings(RunningSandbox sandbox) =>
        [$"--Okta:OrgUrl={OrgUrl(sandbox)}", $"--Okta:ApiToken={sandbox.ApiToken}"];

    private static string[] ServiceAppSettings(RunningSandbox sandbox) =>
    [
        $"--Okta:OrgUrl={OrgUrl(sandbox)}", "--Okta:Authorization=PrivateKeyJwt", $"--Okta:ClientId={sandbox.ServiceApp.ClientId}",
        $"--Okta:KeyId={sandbox.ServiceApp.KeyId}", $"--Okta:PrivateKey={sandbox.ServiceApp.DemoPrivateKeyPem}",
    ];

    private static string OrgUrl(RunningSandbox sandbox) => sandbox.BaseUrl.GetLeftPart(UriPartial.Authority);

    private static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunAsync(string[] settings)
    {
        using var output = new StringWriter();
        var exitCode = await PreflightCommand.RunAsync([PreflightCommand.CheckOkta, .. settings], output);
        return (exitCode, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
