using MfaReset.Okta.Sandbox;
using MfaReset.Web.Hosting;
using MfaReset.Web.Options;
using MfaReset.Web.Reset;
using MfaReset.Web.Tests.Storage.PostgreSql;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Hosting;

/// <summary>
/// <c>lift-pause &lt;username&gt;</c>, run as an operator runs it: the portal's configuration from the command
/// line, the shared PostgreSQL store, Okta (the sandbox) to find the account the username names.
/// </summary>
public sealed class HelpDeskCommandTests(PostgreSqlServer postgres) : IAsyncLifetime
{
    private const string Login = "max.multi@example.com";
    private readonly TestDatabase _database = new(postgres);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private RunningSandbox _sandbox = default!;

    public async ValueTask InitializeAsync() => _sandbox = await OktaSandbox.StartAsync(new SandboxOptions(), _clock);

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task LiftPauseLiftsTheAccountsPauseInTheSharedStore()
    {
        var pause = new VerificationPause(await _database.CreateStoreAsync(_clock), _clock, Microsoft.Extensions.Options.Options.Create(new ResetOptions()));
        var subject = "user:" + _sandbox.Control.GetUser(Login).Id;
        for (var i = 0; i < ResetLimits.ConsecutiveFailures; i++)
        {
            Assert.Null((await pause.TryReserveAsync(subject, $"192.0.2.{i}", TestContext.Current.CancellationToken)).Refused);
        }

        Assert.Equal(PauseRefusal.Person, (await pause.TryReserveAsync(subject, "192.0.2.9", TestContext.Current.CancellationToken)).Refused);
        using var output = new StringWriter();

        var exitCode = await HelpDeskCommand.RunAsync(
            [
                "lift-pause", Login,
                "--FlowStore:Provider=PostgreSql", $"--FlowStore:ConnectionString={PostgreSqlServer.ConnectionString}", $"--FlowStore:Schema={_database.Schema}",
                "--FlowStore:KeysProtectedByPlatform=true",
                $"--Okta:OrgUrl={_sandbox.BaseUrl.GetLeftPart(UriPartial.Authority)}", $"--Okta:ApiToken={_sandbox.ApiToken}",
            ],
            output);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Lifted:", output.ToString(), StringComparison.Ordinal);
        Assert.Null((await pause.TryReserveAsync(subject, "192.0.2.10", TestContext.Current.CancellationToken)).Refused);
    }

    [Fact]
    public async Task WithTheInMemoryStoreItSaysItCannotReachThePortalAndLiftsNothing()
    {
        using var output = new StringWriter();

        var exitCode = await HelpDeskCommand.RunAsync(["lift-pause", Login, "--Okta:OrgUrl=https://example.okta.com", "--Okta:ApiToken=unused"], output);

        Assert.Equal(2, exitCode);
        Assert.Contains("Restarting the portal lifts every pause", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidStoreConfigurationIsNamedNotThrown()
    {
        using var output = new StringWriter();

        var exitCode = await HelpDeskCommand.RunAsync(
            ["lift-pause", Login, "--FlowStore:Provider=PostgreSql", $"--FlowStore:ConnectionString={PostgreSqlServer.ConnectionString}", "--Okta:OrgUrl=https://example.okta.com", "--Okta:ApiToken=unused"],
            output);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("The configuration is not valid:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("FlowStore:KeyCertificatePath", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("lift-pause")]
    [InlineData("lift-pause", "--FlowStore:Provider=PostgreSql")]
    public async Task WithoutAUsernameItShowsItsUsage(params string[] args)
    {
        using var output = new StringWriter();

        Assert.Equal(2, await HelpDeskCommand.RunAsync(args, output));
        Assert.StartsWith("Usage: MfaReset.Web lift-pause <username>", output.ToString(), StringComparison.Ordinal);
    }
}
