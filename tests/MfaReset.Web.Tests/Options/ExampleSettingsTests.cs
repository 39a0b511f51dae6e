using MfaReset.Okta.Sandbox;
using MfaReset.Testing;
using MfaReset.Web.Options;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Tests.Options;

/// <summary>appsettings.example.json documents every portal setting, and every example value is valid.</summary>
public sealed class ExampleSettingsTests
{
    private static readonly IConfigurationRoot Example = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(SharedPaths.RepositoryRoot, "appsettings.example.json"), optional: false)
        .Build();

    private static void AssertValid<TOptions>(IValidateOptions<TOptions> validator, TOptions options)
        where TOptions : class
    {
        var result = validator.Validate(name: null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    private static void AssertEveryPropertyIsShown(Type type, string section)
    {
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
        {
            Assert.True(Example.GetSection($"{section}:{property.Name}").Exists(), $"{section}:{property.Name} is missing from appsettings.example.json");
        }
    }

    [Fact]
    public void ExampleShowsEverySetting()
    {
        AssertEveryPropertyIsShown(typeof(ResetOptions), ResetOptions.SectionName);
        AssertEveryPropertyIsShown(typeof(ResetLimits), $"{ResetOptions.SectionName}:Limits");
        AssertEveryPropertyIsShown(typeof(PasswordComplexityOptions), $"{ResetOptions.SectionName}:PasswordComplexity");
        AssertEveryPropertyIsShown(typeof(BrandingOptions), BrandingOptions.SectionName);
        AssertEveryPropertyIsShown(typeof(MfaReset.Okta.OktaOptions), "Okta");
        AssertEveryPropertyIsShown(typeof(FlowStoreOptions), FlowStoreOptions.SectionName);
        AssertEveryPropertyIsShown(typeof(BenchmarkOptions), BenchmarkOptions.SectionName);
        AssertEveryPropertyIsShown(typeof(LanguageOptions), LanguageOptions.SectionName);
        AssertEveryPropertyIsShown(typeof(ConcurrencyOptions), ConcurrencyOptions.SectionName);
        AssertEveryPropertyIsShown(typeof(MfaReset.Web.HelpDesk.HelpDeskOptions), MfaReset.Web.HelpDesk.HelpDeskOptions.SectionName);
    }

    [Fact]
    public void ExampleValuesAreValid()
    {
        var reset = Example.GetSection(ResetOptions.SectionName).Get<ResetOptions>()!;
        reset.DecoyKey = new string('k', 32); // secrets come from the environment; the example only names them

        AssertValid(new ResetOptionsValidator(), reset);
        AssertValid(new BrandingOptionsValidator(), Example.GetSection(BrandingOptions.SectionName).Get<BrandingOptions>()!);
        var store = Example.GetSection(FlowStoreOptions.SectionName).Get<FlowStoreOptions>()!;
        store.ConnectionString = "Host=db.internal;Database=mfareset;Username=mfareset;SSL Mode=VerifyFull"; // the secret itself comes from the environment
        (store.KeyCertificatePath, store.KeyCertificatePassword) = (TestKeyCertificate.Path, TestKeyCertificate.Password); // the deployment's file and secret
        AssertValid(new FlowStoreOptionsValidator(), store);
        AssertValid(new PasswordOptionsValidator(), Example.GetSection(PasswordOptions.SectionName).Get<PasswordOptions>()!);
        AssertValid(new MetricsOptionsValidator(), Example.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()!);
        AssertValid(new ReverseProxyOptionsValidator(), Example.GetSection(ReverseProxyOptions.SectionName).Get<ReverseProxyOptions>()!);
        AssertValid(new ConcurrencyOptionsValidator(), Example.GetSection(ConcurrencyOptions.SectionName).Get<ConcurrencyOptions>()!);
        Example.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>()!.ThrowIfInvalid();
        Assert.Equal(5, reset.OfferedKinds.Count);
        var helpDesk = Example.GetSection(MfaReset.Web.HelpDesk.HelpDeskOptions.SectionName).Get<MfaReset.Web.HelpDesk.HelpDeskOptions>()!;
        (helpDesk.Enabled, helpDesk.ClientSecret) = (true, "from-the-environment-0123456789"); // the example shows it off, and names the secret only
        AssertValid(new MfaReset.Web.HelpDesk.HelpDeskOptionsValidator(Microsoft.Extensions.Options.Options.Create(new MfaReset.Okta.OktaOptions())), helpDesk);
    }
}
