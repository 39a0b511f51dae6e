namespace MfaReset.Okta;

/// <summary>
/// Which ids and logins the client can put into an Okta URL path. It sends each one as a single, fully
/// encoded segment (<c>/</c>, <c>?</c>, <c>#</c>, <c>%</c> and the rest escaped), but a segment of dots
/// only (<c>.</c>, <c>..</c>) would be resolved away by any URL parser on the way, so it names nothing
/// the client can ask Okta about. Callers check typed input with <see cref="CanName"/> before calling.
/// </summary>
public static class OktaPathSegment
{
    /// <summary>Whether <paramref name="value"/> can be sent as one path segment naming an Okta object.</summary>
    public static bool CanName(string? value) => !string.IsNullOrWhiteSpace(value) && value is not ("." or "..");
}
