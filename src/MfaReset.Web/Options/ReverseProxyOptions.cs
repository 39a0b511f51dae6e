using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MfaReset.Web.Options;

/// <summary>
/// The proxies in front of the portal whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
/// believed. Bound from <c>ReverseProxy</c>. The client address they forward is the one limits count,
/// audit events name and pushes tell Okta, so nobody else may set it.
/// </summary>
public sealed class ReverseProxyOptions : IValidatableObject
{
    public const string SectionName = "ReverseProxy";

    /// <summary>The proxies' own addresses as they reach the portal, e.g. <c>10.0.0.5</c> or <c>fd00::5</c>.</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>The addresses of <see cref="KnownProxies"/> that parse; validation refuses the start if any does not.</summary>
    public IEnumerable<IPAddress> Addresses => KnownProxies.Select(p => IPAddress.TryParse(p, out var address) ? address : null).OfType<IPAddress>();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i], out _))
            {
                yield return new ValidationResult(
                    $"ReverseProxy:KnownProxies:{i} (\"{KnownProxies[i]}\") is not an IP address; name each proxy by its address, such as 10.0.0.5.",
                    [nameof(KnownProxies)]);
            }
        }
    }
}
