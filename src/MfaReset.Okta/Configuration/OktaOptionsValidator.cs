using Microsoft.Extensions.Options;

namespace MfaReset.Okta;

/// <summary>Checks <see cref="OktaOptions"/> at start, naming the configuration key in every message.</summary>
/// <param name="sectionPath">The configuration section the options were bound from, for the messages.</param>
internal sealed class OktaOptionsValidator(string sectionPath) : IValidateOptions<OktaOptions>
{
    private const int MaxRetriesCeiling = 5;
    private const int CircuitBreakerFailuresCeiling = 100;

    // Okta's org-wide concurrency limit (Workforce and Customer Identity), shared with all of the org's traffic.
    private const int OktaConcurrencyLimit = 75;
    private static readonly TimeSpan CircuitBreakerDurationCeiling = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, OktaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (OrgUrlProblem(options.OrgUrl) is { } orgUrlProblem)
        {
            failures.Add($"{sectionPath}:OrgUrl {orgUrlProblem}");
        }

        for (var i = 0; i < options.AdditionalApiHosts.Count; i++)
        {
            if (OrgUrlProblem(options.AdditionalApiHosts[i]) is { } hostProblem)
            {
                failures.Add($"{sectionPath}:AdditionalApiHosts:{i} {hostProblem}");
            }
        }

        switch (options.EffectiveAuthorization)
        {
            case OktaAuthorization.Ssws when string.IsNullOrWhiteSpace(options.ApiToken):
            case null:
                failures.Add($"{sectionPath}:ApiToken is required: an Okta API token, supplied through an environment variable or user secrets " +
                    $"(or {sectionPath}:Authorization=PrivateKeyJwt with {sectionPath}:ClientId and {sectionPath}:PrivateKey for an OAuth service app).");
                break;
            case OktaAuthorization.PrivateKeyJwt:
                failures.AddRange(ServiceAppProblems(options));
                break;
            case OktaAuthorization.Ssws:
                break;
            default:
                failures.Add($"{sectionPath}:Authorization must be Ssws or PrivateKeyJwt.");
                break;
        }

        if (options.TotalBudget <= TimeSpan.Zero)
        {
            failures.Add($"{sectionPath}:TotalBudget must be positive (for example 00:00:20).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > options.TotalBudget)
        {
            failures.Add($"{sectionPath}:AttemptTimeout must be positive and no longer than {sectionPath}:TotalBudget ({options.TotalBudget}).");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > options.AttemptTimeout)
        {
            failures.Add($"{sectionPath}:ConnectTimeout must be positive and no longer than {sectionPath}:AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (options.MaxRetries is < 0 or > MaxRetriesCeiling)
        {
            failures.Add($"{sectionPath}:MaxRetries must be between 0 and {MaxRetriesCeiling}.");
        }

        if (options.CircuitBreakerFailures is < 1 or > CircuitBreakerFailuresCeiling)
        {
            failures.Add($"{sectionPath}:CircuitBreakerFailures must be between 1 and {CircuitBreakerFailuresCeiling}.");
        }

        if (options.CircuitBreakerDuration <= TimeSpan.Zero || options.CircuitBreakerDuration > CircuitBreakerDurationCeiling)
        {
            failures.Add($"{sectionPath}:CircuitBreakerDuration must be positive and at most {CircuitBreakerDurationCeiling} (for example 00:00:30).");
        }

        if (options.MaxInFlightRequests is < 1 or > OktaConcurrencyLimit)
        {
            failures.Add($"{sectionPath}:MaxInFlightRequests must be between 1 and {OktaConcurrencyLimit}, Okta's org-wide concurrency limit.");
        }

        if (options.InFlightQueueTimeout < TimeSpan.Zero || options.InFlightQueueTimeout >= options.AttemptTimeout)
        {
            failures.Add($"{sectionPath}:InFlightQueueTimeout must be zero or more and shorter than {sectionPath}:AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (!(options.LowQuotaFraction is >= 0 and < 1))
        {
            failures.Add($"{sectionPath}:LowQuotaFraction must be at least 0 (off) and below 1, for example 0.1.");
        }

        if (!(options.PortalBucketShare is > 0 and <= 1))
        {
            failures.Add($"{sectionPath}:PortalBucketShare must be above 0 and at most 1, for example 0.25.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<string> ServiceAppProblems(OktaOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            yield return $"{sectionPath}:ClientId is required with {sectionPath}:Authorization=PrivateKeyJwt: the service app's client id.";
        }

        if (string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            yield return $"{sectionPath}:PrivateKey is required with {sectionPath}:Authorization=PrivateKeyJwt: the service app's private key as PEM or JWK, " +
                "supplied through an environment variable or user secrets.";
        }
        else if (ClientAssertionKey.Problem(options.PrivateKey) is { } keyProblem)
        {
            // The problem names the format, never the key's content.
            yield return $"{sectionPath}:PrivateKey {keyProblem}";
        }

        if (options.KeyId is { } keyId && string.IsNullOrWhiteSpace(keyId))
        {
            yield return $"{sectionPath}:KeyId must not be blank: the kid of the app's public key, or leave it unset.";
        }

        for (var i = 0; i < options.Scopes.Count; i++)
        {
            var scope = options.Scopes[i];
            if (string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace))
            {
                yield return $"{sectionPath}:Scopes:{i} must be one Okta scope such as okta.users.read (one scope per entry).";
            }
            else if (scope == "openid")
            {
                yield return $"{sectionPath}:Scopes:{i}: Okta refuses the openid scope for the client credentials grant.";
            }
        }
    }

    private static string? OrgUrlProblem(Uri? orgUrl) => orgUrl switch
    {
        null => "is required: the org's base URL, for example https://example.okta.com.",
        { IsAbsoluteUri: false } => "must be an absolute URL such as https://example.okta.com.",
        _ when orgUrl.Scheme == Uri.UriSchemeHttp && !orgUrl.IsLoopback =>
            "must use https; http is accepted only for a loopback host such as the sandbox on 127.0.0.1.",
        _ when orgUrl.Scheme != Uri.UriSchemeHttps && orgUrl.Scheme != Uri.UriSchemeHttp => "must use https.",
        _ when orgUrl.UserInfo.Length > 0 => "must not carry user information.",
        _ when orgUrl.AbsolutePath != "/" || orgUrl.Query.Length > 0 || orgUrl.Fragment.Length > 0 =>
            "must be the org's base URL without a path, query or fragment, for example https://example.okta.com.",
        _ => null,
    };
}
