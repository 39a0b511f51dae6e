using System.Globalization;
using System.Net;

namespace MfaReset.Okta.Tests.Support;

/// <summary>Answers the timing tests give through <see cref="ScriptedHandler"/>, and a guard for awaiting a call.</summary>
internal static class OktaAnswers
{
    public const string UserJson = """{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com"}}""";
    public const string RateLimitJson = """{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorId":"oae1","errorCauses":[]}""";
    public const string ServerErrorJson = """{"errorCode":"E0000009","errorSummary":"Internal Server Error","errorId":"oae2","errorCauses":[]}""";
    public const string InvalidPasscodeJson = """{"errorCode":"E0000068","errorSummary":"Invalid Passcode/Answer","errorId":"oae3","errorCauses":[]}""";

    /// <summary>The call's result; a client that waits for time the test never gives fails here instead of hanging.</summary>
    public static Task<T> Settled<T>(Task<T> call) => call.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Answers 500 as Okta does.</summary>
    public static void ServerError(this PendingRequest request) => request.Respond(HttpStatusCode.InternalServerError, ServerErrorJson);

    /// <summary>Okta's <c>X-Rate-Limit-*</c> headers, with Okta's clock in <c>Date</c>.</summary>
    public static Action<HttpResponseMessage> RateLimitHeaders(int limit, int remaining, DateTimeOffset reset, DateTimeOffset oktaNow) => response =>
    {
        response.Headers.Date = oktaNow;
        response.Headers.Add("X-Rate-Limit-Limit", limit.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-Rate-Limit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-Rate-Limit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    };
}
