using MfaReset.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Tests.Options;

/// <summary>
/// The generated validators of the portal's options, as registered: a wrong value, nested ones included,
/// stops the start with a message that names the setting from its configuration section.
/// </summary>
public sealed class OptionsValidatorTests
{
    [Theory]
    // Attributes of nested sections, reached through [ValidateObjectMembers].
    [InlineData("Reset:Limits:SendsPerFlow", "11", "Reset.Limits.SendsPerFlow must be between 1 and 10")]
    [InlineData("Reset:Limits:PollsPerMinutePerClient", "5", "Reset.Limits.PollsPerMinutePerClient must be between 10 and 1000000")]
    [InlineData("Passwords:BreachCheck:Timeout", "00:00:10", "Passwords.BreachCheck.Timeout must be between")]
    // A nested section's own cross-field rule (IValidatableObject).
    [InlineData("Reset:Limits:CodeAttemptsPerUser", "2", "Reset:Limits:CodeAttemptsPerFlow must not exceed Reset:Limits:CodeAttemptsPerUser")]
    [InlineData("Reset:TokenLifetime", "00:00:30", "Reset.TokenLifetime must be between")]
    [InlineData("Branding:PrimaryColor", "blue", "Branding:PrimaryColor must look like #0b5cad")]
    [InlineData("Branding:SignInUrl", "not a url", "The Branding.SignInUrl field is not a valid")]
    [InlineData("FlowStore:CleanupBatchSize", "5", "FlowStore.CleanupBatchSize must be between 10 and 10000")]
    [InlineData("FlowStore:Provider", "PostgreSql", "FlowStore:ConnectionString is required when FlowStore:Provider is PostgreSql")]
    public void WrongValueStopsTheStartNamingTheSetting(string key, string value, string message)
    {
        var failure = StartupFailure(new() { [key] = value });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Options.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BreachCheckOverPlainHttpToAnotherHostStopsTheStart()
    {
        var failure = StartupFailure(new() { ["Passwords:BreachCheck:Enabled"] = "true", ["Passwords:BreachCheck:RangeUrl"] = "http://ranges.example.com/range/" });

        Assert.Contains("Passwords:BreachCheck:RangeUrl must be an absolute https URL", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)] // the example's own value, read from appsettings.example.json
    [InlineData("changeme-changeme-changeme-changeme-0001")]
    [InlineData("set through the environment, never in a file: a long enough text")]
    public void APlaceholderDecoyKeyStopsTheStartLikeAnyKnownPlaceholder(string? decoyKey)
    {
        decoyKey ??= new ConfigurationBuilder().AddJsonFile(Path.Combine(MfaReset.Testing.SharedPaths.RepositoryRoot, "appsettings.example.json")).Build()["Reset:DecoyKey"];
        Assert.True(decoyKey!.Length >= 32); // long enough: only its being a placeholder refuses it

        var failure = StartupFailure(new() { ["Reset:FactorMenu"] = "Enrolled", ["Reset:DecoyKey"] = decoyKey });

        Assert.Contains("Reset:DecoyKey is a placeholder", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(decoyKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARandomDecoyKeyStarts()
    {
        using var services = Services(new() { ["Reset:FactorMenu"] = "Enrolled", ["Reset:DecoyKey"] = "q3Vd9f0L2mXcT7yBn1RkZ8sWj4HaPe6uGt5oYiCv" });

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void DefaultsStart()
    {
        using var services = Services([]);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(10, services.GetRequiredService<IOptions<MfaReset.Web.Options.ResetOptions>>().Value.Limits.StartsPerUsername);
    }

    private static OptionsValidationException StartupFailure(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging().AddFlowStore().AddResetFlow();
        return services.BuildServiceProvider();
    }
}
