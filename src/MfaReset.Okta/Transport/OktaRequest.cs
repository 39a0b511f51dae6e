using System.Runtime.ExceptionServices;
using System.Text;
using Flurl;
using Flurl.Http;

namespace MfaReset.Okta;

/// <summary>
/// One Okta request as Flurl sends it: the verb, the URL, headers of its own (the person's language, the end
/// user of a push) and the JSON body if there is one. Each attempt gets a new Flurl request, since a sent
/// request message cannot be sent again.
/// </summary>
internal sealed class OktaRequest(IFlurlClient flurl, HttpMethod verb, Url url, object? jsonBody = null, Func<IFlurlRequest, IFlurlRequest>? withHeaders = null)
{
    // The URL is built once per call; attempts get the finished text, which Flurl sends without parsing it
    // again (a parsed Url is rebuilt and re-parsed on every send, several kilobytes each time).
    private readonly string _url = url.ToString();

    /// <summary>
    /// Sends one attempt. Every HTTP status is an answer (Okta's errors are read as data). A failure is thrown as
    /// HttpClient threw it rather than wrapped by Flurl, so the breaker, retry and timeout rules see connection
    /// failures, timeouts and the caller's cancellation for what they are.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
    {
        IFlurlRequest request = new FlurlRequest(new Url(_url)) { Client = flurl };
        if (withHeaders is not null)
        {
            request = withHeaders(request);
        }

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
    /// as before rather than with Flurl's own spelling of the charset.
    /// </summary>
    private StringContent? Content(IFlurlRequest request) =>
        jsonBody is null ? null : new StringContent(request.Settings.JsonSerializer.Serialize(jsonBody), Encoding.UTF8, "application/json");
}
