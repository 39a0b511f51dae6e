using MfaReset.Testing;
using MfaReset.Web.Hosting;
using MfaReset.Web.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Tests.Notifications;

/// <summary><c>Notifications:*</c>: documented in the example, and a start refused for settings that would leak or misdirect a notice.</summary>
public sealed class NotificationOptionsTests
{
    private static readonly IConfigurationRoot Example = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(SharedPaths.RepositoryRoot, "appsettings.example.json"), optional: false)
        .Build();

    private static NotificationOptions Valid() => new()
    {
        Enabled = true,
        PortalUrl = new Uri("https://reset.example.com/"),
        From = "IT <no-reply@example.com>",
        Smtp = new SmtpOptions { Host = "smtp.example.com", Port = 587, Tls = SmtpTls.StartTls, Username = "u", Password = "from-the-environment" },
    };

    private static ValidateOptionsResult Validate(NotificationOptions options, IConfiguration? configuration = null, SandboxMode sandbox = SandboxMode.None)
    {
        var annotations = new NotificationOptionsAnnotations().Validate(NotificationOptions.SectionName, options);
        return annotations.Failed
            ? annotations
            : new NotificationOptionsValidator(configuration ?? new ConfigurationBuilder().Build(), new SandboxInfo(sandbox)).Validate(null, options);
    }

    [Fact]
    public void TheExampleShowsEverySettingAndIsValidOnceThePasswordComesFromTheEnvironment()
    {
        foreach (var property in typeof(NotificationOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.True(Example.GetSection($"Notifications:{property.Name}").Exists(), $"Notifications:{property.Name} is missing");
        }

        foreach (var property in typeof(SmtpOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.True(Example.GetSection($"Notifications:Smtp:{property.Name}").Exists(), $"Notifications:Smtp:{property.Name} is missing");
        }

        var example = Example.GetSection(NotificationOptions.SectionName).Get<NotificationOptions>()!;
        var environment = new ConfigurationBuilder().AddInMemoryCollection([new("Notifications:Smtp:Password", "from-the-environment")]).Build();
        Assert.True(Validate(example, environment).Succeeded);
    }

    [Fact]
    public void AnSmtpPasswordInASettingsFileStopsTheStart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"notices-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "Notifications": { "Smtp": { "Password": "in-a-file" } } }""");
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

            var result = Validate(Valid(), configuration);

            Assert.True(result.Failed);
            Assert.Contains("Notifications:Smtp:Password must come from the environment", result.FailureMessage, StringComparison.Ordinal);
            Assert.DoesNotContain("in-a-file", result.FailureMessage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static TheoryData<string, Action<NotificationOptions>, string> Refusals() => new()
    {
        { "no portal address", o => o.PortalUrl = null, "Notifications:PortalUrl" },
        { "an http portal address", o => o.PortalUrl = new Uri("http://reset.example.com/"), "Notifications:PortalUrl" },
        { "no sender", o => o.From = "", "Notifications:From" },
        { "no host", o => o.Smtp.Host = "", "Notifications:Smtp:Host" },
        { "plain SMTP across the network", o => o.Smtp.Tls = SmtpTls.None, "Notifications:Smtp:Tls None" },
        { "a user without a password", o => o.Smtp.Password = null, "go together" },
        { "the demo's inbox without the embedded sandbox", o => o.Delivery = NoticeDelivery.SandboxInbox, "needs the embedded sandbox" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void SettingsThatWouldMisdirectOrExposeANoticeStopTheStart(string what, Action<NotificationOptions> change, string named)
    {
        var options = Valid();
        change(options);

        var result = Validate(options);

        Assert.True(result.Failed, what);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainSmtpToThisMachineAndTheDemosInboxWithTheEmbeddedSandboxStart()
    {
        var local = Valid();
        (local.Smtp.Host, local.Smtp.Tls, local.Smtp.Username, local.Smtp.Password) = ("127.0.0.1", SmtpTls.None, null, null);
        var demo = new NotificationOptions { Enabled = true, Delivery = NoticeDelivery.SandboxInbox };

        Assert.True(Validate(local).Succeeded, Validate(local).FailureMessage);
        Assert.True(Validate(demo, sandbox: SandboxMode.Embedded).Succeeded);
        Assert.True(Validate(new NotificationOptions { Enabled = false, Delivery = NoticeDelivery.SandboxInbox }).Succeeded);
    }
}
