using MfaReset.Web.Hosting;


namespace MfaReset.Web.Tests.Hosting;

/// <summary>The emulator, with its published demo users and TOTP seeds, runs only where it was asked for.</summary>
public sealed class SandboxStartRulesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("  ", "false")]
    public void AProductionStartWithoutAnOrgIsRefusedNamingTheMissingSetting(string? orgUrl, string? enabled)
    {
        var start = SandboxStartRules.Decide(orgUrl, enabled, isDevelopment: false);

        Assert.Equal(SandboxMode.None, start.Mode);
        Assert.StartsWith("Okta:OrgUrl is not set", start.Refusal, StringComparison.Ordinal);
        Assert.Contains("Sandbox:Enabled=true", start.Refusal, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', start.Refusal!);
    }

    [Fact]
    public void DevelopmentWithoutAnOrgEmbedsTheSandbox() =>
        Assert.Equal(SandboxStart.Run(SandboxMode.Embedded), SandboxStartRules.Decide(null, null, isDevelopment: true));

    [Fact]
    public void AnExplicitSandboxEnabledEmbedsItInAnyEnvironment() =>
        Assert.Equal(SandboxStart.Run(SandboxMode.Embedded), SandboxStartRules.Decide("", "true", isDevelopment: false));

    [Fact]
    public void SandboxDisabledWinsOverDevelopment() =>
        Assert.NotNull(SandboxStartRules.Decide(null, "false", isDevelopment: true).Refusal);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnOrgUrlWithoutSandboxEnabledIsARealOrg(bool isDevelopment) =>
        Assert.Equal(SandboxStart.Run(SandboxMode.None), SandboxStartRules.Decide("https://example.okta.com", null, isDevelopment));

    [Theory]
    [InlineData("http://127.0.0.1:5255")]
    [InlineData("http://localhost:5255")]
    public void SandboxEnabledWithALoopbackOrgIsTheStandaloneSandbox(string orgUrl) =>
        Assert.Equal(SandboxStart.Run(SandboxMode.Standalone), SandboxStartRules.Decide(orgUrl, "true", isDevelopment: false));

    [Fact]
    public void SandboxEnabledWithARealOrgIsRefused()
    {
        // A demo switch left on in production must not put the sandbox banner (and its reset listener) on a real org.
        var start = SandboxStartRules.Decide("https://example.okta.com", "true", isDevelopment: false);

        Assert.StartsWith("Sandbox:Enabled=true says Okta:OrgUrl is the demo emulator, but https://example.okta.com", start.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspeltSandboxEnabledIsRefused() =>
        Assert.Equal("Sandbox:Enabled=\"yes\" is neither true nor false.", SandboxStartRules.Decide(null, "yes", isDevelopment: true).Refusal);

    [Fact]
    public void TheLoadDriversLongPushWaitsAreRefusedWithARealOrgAndAcceptedWithEitherSandbox()
    {
        var refusal = SandboxStartRules.BenchmarkRefusal("true", SandboxMode.None);

        Assert.StartsWith("Benchmark:LongPushWaits is the load driver's switch for the Okta sandbox", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal!);
        Assert.Null(SandboxStartRules.BenchmarkRefusal("true", SandboxMode.Embedded));
        Assert.Null(SandboxStartRules.BenchmarkRefusal("true", SandboxMode.Standalone));
        Assert.Null(SandboxStartRules.BenchmarkRefusal("false", SandboxMode.None));
        Assert.Null(SandboxStartRules.BenchmarkRefusal(null, SandboxMode.None));
        Assert.NotNull(SandboxStartRules.BenchmarkRefusal("yes", SandboxMode.Embedded));
    }
}
