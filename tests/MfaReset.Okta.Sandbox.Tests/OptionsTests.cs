using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task InvalidOptionsRefuseToStart()
    {
        var options = new SandboxOptions { NumberMatchingChoices = 1, Faults = { ServerErrorRate = 2 } };

        var error = await Assert.ThrowsAsync<ValidationException>(() => OktaSandbox.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(nameof(SandboxOptions.NumberMatchingChoices), error.Message, StringComparison.Ordinal);
        Assert.Contains("Faults", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sandbox:RateLimits:OtherPerMinute", "0", "Sandbox.RateLimits.OtherPerMinute must be between 1 and 1000000")]
    [InlineData("Sandbox:Faults:LatencyJitter", "00:11:00", "Sandbox.Faults.LatencyJitter must be between 00:00:00 and 00:10:00")]
    [InlineData("Sandbox:ServiceApp:KeyId", "two words", "Sandbox.ServiceApp.KeyId must match")]
    [InlineData("Sandbox:Port", "70000", "Sandbox.Port must be between 0 and 65535")]
    public void AWrongNestedValueIsNamedFromTheSection(string key, string value, string message)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build()
            .GetSection(SandboxOptions.SectionName).Get<SandboxOptions>()!;

        var error = Assert.Throws<ValidationException>(options.ThrowIfInvalid);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsAreOktasValues()
    {
        var options = new SandboxOptions();

        Assert.Equal(TimeSpan.FromMinutes(5), options.PushLifetime);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CodeLifetime);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ResendCooldown);
        Assert.Equal(3, options.NumberMatchingChoices);
        options.ThrowIfInvalid();
    }

    [Fact]
    public void OptionsBindFromTheSandboxSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sandbox:ApiToken"] = "configured",
                ["Sandbox:PushLifetime"] = "00:01:00",
                ["Sandbox:Faults:Latency"] = "00:00:00.250",
                ["Sandbox:Faults:RateLimitRate"] = "0.05",
                ["Sandbox:RateLimits:Enforce"] = "false",
            })
            .Build();

        var options = configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>()!;

        Assert.Equal("configured", options.ApiToken);
        Assert.Equal(TimeSpan.FromMinutes(1), options.PushLifetime);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Faults.Latency);
        Assert.Equal(0.05, options.Faults.RateLimitRate);
        Assert.False(options.RateLimits.Enforce);
    }

    [Fact]
    public async Task SandboxListensOnLoopbackOnly()
    {
        await using var sandbox = await OktaSandbox.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("127.0.0.1", sandbox.BaseUrl.Host);
        Assert.NotEqual(0, sandbox.BaseUrl.Port);
        Assert.Equal("/", sandbox.BaseUrl.AbsolutePath);
    }
}
