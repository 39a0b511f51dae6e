using System.Net;
using System.Text;
using System.Threading.Channels;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Support;

/// <summary>
/// The network, replaced: each request the client sends waits here until the test answers it, fails
/// it, or lets the client's own timeout cancel it. Used where time matters, with <see cref="TestClock"/>.
/// </summary>
public sealed class ScriptedHandler : HttpMessageHandler
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<PendingRequest> _arrived = Channel.CreateUnbounded<PendingRequest>();
    private int _count;

    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>The next request the client sends (the 10 s guard only turns a hang into a failure).</summary>
    public async Task<PendingRequest> NextRequestAsync() => await _arrived.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        var pending = new PendingRequest(request, cancellationToken);
        _arrived.Writer.TryWrite(pending);
        return await pending.Answer.WaitAsync(cancellationToken);
    }
}

public sealed class PendingRequest(HttpRequestMessage request, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<HttpResponseMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HttpRequestMessage Request { get; } = request;

    /// <summary>Cancelled when the client gives up on this attempt.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    internal Task<HttpResponseMessage> Answer => _answer.Task;

    public void Respond(HttpStatusCode status, string? json = null, Action<HttpResponseMessage>? headers = null)
    {
        var response = new HttpResponseMessage(status) { RequestMessage = Request };
        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        headers?.Invoke(response);
        _answer.SetResult(response);
    }

    public void Fail(Exception exception) => _answer.SetException(exception);
}
