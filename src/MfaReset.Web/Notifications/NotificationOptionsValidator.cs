using System.Net;
using MfaReset.Web.Hosting;
using Microsoft.Extensions.Configuration.Json;
using MimeKit;

namespace MfaReset.Web.Notifications;

/// <summary>The data annotations of <see cref="NotificationOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class NotificationOptionsAnnotations : IValidateOptions<NotificationOptions>;

/// <summary>
/// The rules across <see cref="NotificationOptions"/>' members, checked at start when notices are on: a
/// configured https portal address for the link, a sender, an SMTP host, TLS unless the server is on this
/// machine, and an SMTP password that comes from the environment rather than a settings file.
/// </summary>
internal sealed class NotificationOptionsValidator(IConfiguration configuration, SandboxInfo sandbox) : IValidateOptions<NotificationOptions>
{
    private const string Section = NotificationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Enabled && Failures(options).ToList() is { Count: > 0 } failures
            ? ValidateOptionsResult.Fail(failures)
            : ValidateOptionsResult.Success;
    }

    private IEnumerable<string> Failures(NotificationOptions options)
    {
        // The demo's inbox may leave it unset: the link then names the address this portal listens on.
        if (options.PortalUrl is null ? options.Delivery != NoticeDelivery.SandboxInbox
            : !options.PortalUrl.IsAbsoluteUri || !(options.PortalUrl.Scheme == Uri.UriSchemeHttps || (options.PortalUrl.Scheme == Uri.UriSchemeHttp && options.PortalUrl.IsLoopback)))
        {
            yield return $"{Section}:PortalUrl must be the portal's public https address, such as https://reset.example.com/ (the notice's link is built from it).";
        }

        if (options.Delivery == NoticeDelivery.SandboxInbox)
        {
            if (sandbox.Mode != SandboxMode.Embedded)
            {
                yield return $"{Section}:Delivery SandboxInbox is the demo's: it needs the embedded sandbox. With a real org use Smtp.";
            }

            yield break;
        }

        if (!MailboxAddress.TryParse(options.From, out _))
        {
            yield return $"{Section}:From must be a sender address such as \"IT help desk <no-reply@example.com>\".";
        }

        var smtp = options.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            yield return $"{Section}:Smtp:Host is required.";
        }
        else if (smtp.Tls == SmtpTls.None && !IsLoopback(smtp.Host))
        {
            yield return $"{Section}:Smtp:Tls None is allowed only for a server on this machine; use StartTls or Implicit.";
        }

        if (string.IsNullOrEmpty(smtp.Username) != string.IsNullOrEmpty(smtp.Password))
        {
            yield return $"{Section}:Smtp:Username and {Section}:Smtp:Password go together: set both or neither.";
        }

        if (PasswordInSettingsFile())
        {
            yield return $"{Section}:Smtp:Password must come from the environment ({Section}__Smtp__Password) or a secret store, never a settings file.";
        }
    }

    private bool PasswordInSettingsFile() =>
        configuration is IConfigurationRoot root
        && root.Providers.OfType<JsonConfigurationProvider>().Any(p => p.TryGet($"{Section}:Smtp:Password", out var value) && !string.IsNullOrEmpty(value));

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
