using System.Globalization;
using MfaReset.Web.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MfaReset.Web.Tests.Pages;

/// <summary>How long a step, a limit or a pause lasts, in words: the pause page and the limit pages use it too.</summary>
public sealed class TimeLeftTests(Support.PortalApp app) : IClassFixture<Support.PortalApp>
{
    [Theory]
    [InlineData(45, "en", "45 seconds")]
    [InlineData(60, "en", "1 minute")]
    [InlineData(900, "en", "15 minutes")]
    [InlineData(3600, "en", "1 hour")]
    [InlineData(5400, "en", "90 minutes")]
    [InlineData(86400, "en", "24 hours")]
    [InlineData(3600, "de", "1 Stunde")]
    [InlineData(7200, "de", "2 Stunden")]
    public void ADurationIsSaidInWholeHoursOnlyWhenItIsWholeHours(int seconds, string culture, string said)
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            Assert.Equal(said, TimeLeft.Describe(text, seconds));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
