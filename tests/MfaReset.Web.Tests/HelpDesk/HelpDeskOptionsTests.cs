using MfaReset.Okta;
using MfaReset.Web.HelpDesk;

namespace MfaReset.Web.Tests.HelpDesk;

/// <summary>The console's settings are checked at start, only when it is on.</summary>
public sealed class HelpDeskOptionsTests
{
    private static readonly HelpDeskOptionsValidator Validator = new(Microsoft.Extensions.Options.Options.Create(new OktaOptions { OrgUrl = new Uri("https://example.okta.com") }));

    private static HelpDeskOptions Valid() => new() { Enabled = true, ClientId = "0oa1", ClientSecret = "s3cr3t-from-the-environment", AgentGroup = "Help Desk" };

    [Fact]
    public void OffNeedsNothing() => Assert.True(Validator.Validate(null, new HelpDeskOptions()).Succeeded);

    [Fact]
    public void OnWithItsSettingsIsValid() => Assert.True(Validator.Validate(null, Valid()).Succeeded);

    [Theory]
    [InlineData("ClientSecret")]
    [InlineData("ClientId")]
    [InlineData("AgentGroup")]
    public void OnWithoutARequiredSettingRefusesTheStart(string missing)
    {
        var options = Valid();
        typeof(HelpDeskOptions).GetProperty(missing)!.SetValue(options, null);

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("HelpDesk:" + missing, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAuthorityOverPlainHttpIsRefusedUnlessLoopback()
    {
        var options = Valid();
        options.Authority = new Uri("http://example.okta.com");
        Assert.True(Validator.Validate(null, options).Failed);

        options.Authority = new Uri("http://127.0.0.1:5256");
        Assert.True(Validator.Validate(null, options).Succeeded);
    }
}
