using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Notifications;

/// <summary>
/// The notices sent after every reset and unlock (issue 25). Bound from <c>Notifications</c> and validated at
/// start; off unless <see cref="Enabled"/>. The SMTP password comes from the environment only.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The off switch: when false nothing is queued or sent.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where notices go: an SMTP server, or (with the embedded sandbox only) the phone simulator's inbox.</summary>
    public NoticeDelivery Delivery { get; set; } = NoticeDelivery.Smtp;

    /// <summary>
    /// The portal's public address, for the "this wasn't me" link. Configured, never taken from a request
    /// (a forged Host header must not put another site's address into a notice).
    /// </summary>
    public Uri? PortalUrl { get; set; }

    /// <summary>The sender, e.g. <c>IT help desk &lt;no-reply@example.com&gt;</c>.</summary>
    [StringLength(200)]
    public string From { get; set; } = string.Empty;

    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Attempts per notice before it is marked failed (and kept, never dropped).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the sender looks for due notices besides being woken by a new one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a notice being sent is held by one instance before another may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a "this wasn't me" link works.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long sent and failed notices, used links and reports are kept.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "400.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The next wait after <paramref name="failures"/> failed attempts: doubling from <see cref="FirstRetryDelay"/>, capped.</summary>
    public TimeSpan RetryDelayAfter(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var delay = FirstRetryDelay * Math.Pow(2, doublings);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}

/// <summary>Where notices are delivered.</summary>
public enum NoticeDelivery
{
    /// <summary>Through <c>Notifications:Smtp</c>.</summary>
    Smtp,

    /// <summary>Into the embedded sandbox's phone simulator inbox (the demo); refused without the embedded sandbox.</summary>
    SandboxInbox,
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpTls
{
    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Implicit,

    /// <summary>No TLS: only to a server on this machine (a relay or a test server).</summary>
    None,
}

/// <summary><c>Notifications:Smtp</c>. The password is read from the environment (<c>Notifications__Smtp__Password</c>), never a settings file.</summary>
public sealed class SmtpOptions
{
    [StringLength(253)]
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpTls Tls { get; set; } = SmtpTls.StartTls;

    [StringLength(256)]
    public string? Username { get; set; }

    [StringLength(512)]
    public string? Password { get; set; }

    /// <summary>Connect, authenticate and send together, after which the attempt counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
