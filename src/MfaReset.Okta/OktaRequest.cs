using System.Runtime.ExceptionServices;
using System.Text;
using Flurl.Http;

namespace MfaReset.Okta;

/// <summary>
/// One Okta request as Flurl sends it: the verb, the URL and headers (built afresh for every attempt, since a
/// sent request message cannot be sent again), and the JSON body if there is one.
/// </summary>
internal sealed class OktaRequest(HttpMethod verb, Func<IFlurlRequest> build, object? jsonBody = null)
{
    /// <summary>
    /// Sends one attempt. Every HTTP status is an answer (Okta's errors are read as data). A failure is thrown as
    /// HttpClient threw it rather than wrapped by Flurl, so the breaker, retry and timeout rules see connection
    /// failures, timeouts and the caller's cancellation for what they are.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
    {
        var request = build();
        try
        {
            var response = await request.SendAsync(verb, Content(request), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return response.ResponseMessage;
        }
        catch (FlurlHttpException wrapped) when (wrapped.InnerException is { } thrown)
        {
            ExceptionDispatchInfo.Throw(thrown);
            throw;
        }
    }

    /// <summary>
    /// The body as Flurl's serializer writes it (source-generated JSON), labelled <c>application/json; charset=utf-8</c>
    /// as before rather than Flurl's own spelling of the charset.
    /// </summary>
    private StringContent? Content(IFlurlRequest request) =>
        jsonBody is null ? null : new StringContent(request.Settings.JsonSerializer.Serialize(jsonBody), Encoding.UTF8, "application/json");
}
