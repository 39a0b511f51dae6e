using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta;

/// <summary>An access token from the org authorization server; <see cref="IsDpop"/> tokens need a proof on every call.</summary>
/// <param name="RenewAt">When it is replaced: shortly before <paramref name="ExpiresAt"/>, fixed when it is issued.</param>
internal sealed record OktaAccessToken(string Value, bool IsDpop, DateTimeOffset ExpiresAt, DateTimeOffset RenewAt)
{
    public override string ToString() => $"{(IsDpop ? "DPoP" : "Bearer")} token until {ExpiresAt:O}";
}

/// <summary>No access token: the token endpoint refused, failed or did not answer. An outage for every caller.</summary>
internal sealed class OktaTokenUnavailableException(string reason) : Exception($"No Okta access token: {reason}.")
{
    /// <summary>What went wrong, in words that carry no secret.</summary>
    public string Reason => reason;
}

/// <summary>
/// The service app's access tokens (client credentials grant with a private-key JWT client assertion, and
/// DPoP when Okta asks for it). One token is cached until shortly before it expires and shared by every
/// call; when it must be renewed one request goes to Okta and every other caller waits for its outcome,
/// failures included, so a failing token endpoint is hit once, not once per caller.
/// </summary>
internal sealed class OktaAccessTokens : IDisposable
{
    /// <summary>The HTTP client the token requests go through (named, apart from the API client's handler chain).</summary>
    public const string HttpClientName = "MfaReset.Okta.Token";

    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    // A token is renewed this long before Okta's expiry (service-app tokens live an hour), or at half its life when shorter.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    // A client assertion lives this long; Okta allows at most an hour, and the assertion is used at once.
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(5);

    // After a failed token request every call fails at once for this long, so a broken configuration cannot flood the token endpoint.
    private static readonly TimeSpan FailureHold = TimeSpan.FromSeconds(5);

    private readonly IHttpClientFactory _httpFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _tokenUrl;
    private readonly string _clientId;
    private readonly string _scope;
    private readonly TimeSpan _attemptTimeout;
    private readonly SigningCredentials _assertionKey;
    private readonly JsonWebTokenHandler _jwt = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly Lock _gate = new();
    private OktaAccessToken? _current;
    private Task<OktaAccessToken>? _renewal;
    private (DateTimeOffset Until, string Reason)? _failure;
    private volatile bool _dpop;
    private volatile string? _tokenNonce;
    private volatile string? _apiNonce;

    public OktaAccessTokens(OktaOptions options, IHttpClientFactory httpFactory, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpFactory = httpFactory;
        _time = time;
        _logger = logger;
        _tokenUrl = new Uri(options.OrgUrl ?? throw new InvalidOperationException("Okta:OrgUrl is not configured."), "/oauth2/v1/token");
        _clientId = options.ClientId ?? throw new InvalidOperationException("Okta:ClientId is not configured.");
        _scope = string.Join(' ', options.EffectiveScopes);
        _attemptTimeout = options.AttemptTimeout;
        _assertionKey = ClientAssertionKey.Load(options.PrivateKey ?? throw new InvalidOperationException("Okta:PrivateKey is not configured."), options.KeyId);
        Proofs = new DpopProofs(time);
    }

    public DpopProofs Proofs { get; }

    /// <summary>The org authorization server's token endpoint, <c>{orgUrl}/oauth2/v1/token</c>.</summary>
    public Uri TokenUrl => _tokenUrl;

    /// <summary>The nonce the Management API last asked for (RFC 9449 resource nonce); null until asked.</summary>
    public string? ApiNonce
    {
        get => _apiNonce;
        set => _apiNonce = value;
    }

    /// <summary>The cached token, or the outcome of the one renewal in progress (started when none is).</summary>
    /// <exception cref="OktaTokenUnavailableException">No token could be obtained.</exception>
    public Task<OktaAccessToken> GetAsync(CancellationToken cancellationToken)
    {
        Task<OktaAccessToken> renewal;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_current is { } current && now < current.RenewAt)
            {
                return Task.FromResult(current);
            }

            if (_renewal is null && _failure is { } failure && now < failure.Until)
            {
                return Task.FromException<OktaAccessToken>(new OktaTokenUnavailableException(failure.Reason));
            }

            // Not tied to the first caller's cancellation: the others wait for the same request.
            _renewal ??= Task.Run(RenewAsync, CancellationToken.None);
            renewal = _renewal;
        }

        return renewal.WaitAsync(cancellationToken);
    }

    /// <summary>Okta refused <paramref name="rejected"/> (401): the next <see cref="GetAsync"/> gets a new one, unless another caller already did.</summary>
    public void Invalidate(OktaAccessToken rejected)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, rejected))
            {
                _current = null;
            }
        }
    }

    public void Dispose() => Proofs.Dispose();

    private async Task<OktaAccessToken> RenewAsync()
    {
        try
        {
            var token = await RequestAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _current = token;
                _failure = null;
                _renewal = null;
            }

            return token;
        }
        catch (Exception failed)
        {
            // Whatever went wrong, the renewal is over: the next caller after the hold tries again.
            var reason = failed is OktaTokenUnavailableException unavailable ? unavailable.Reason : $"the token request failed ({failed.GetType().Name})";
            lock (_gate)
            {
                _failure = (_time.GetUtcNow() + FailureHold, reason);
                _renewal = null;
            }

            throw failed as OktaTokenUnavailableException ?? new OktaTokenUnavailableException(reason);
        }
    }

    /// <summary>
    /// The client credentials request. A proof goes with it once Okta asked for DPoP; a <c>use_dpop_nonce</c>
    /// answer is retried once with Okta's nonce, and an <c>invalid_dpop_proof</c> answer to a proof-less
    /// request (an app that requires DPoP) once with a proof.
    /// </summary>
    private async Task<OktaAccessToken> RequestAsync()
    {
        var http = _httpFactory.CreateClient(HttpClientName);
        var nonceRetried = false;
        var dpopRetried = false;
        while (true)
        {
            var answer = await SendAsync(http).ConfigureAwait(false);
            if (answer.Token is { } token)
            {
                return token;
            }

            var error = answer.Error ?? "(no error code)";
            if (error == "use_dpop_nonce" && answer.Nonce is { Length: > 0 } nonce && !nonceRetried)
            {
                nonceRetried = true;
                _dpop = true;
                _tokenNonce = nonce;
                OktaTokenLog.Retrying(_logger, error);
                continue;
            }

            if (error == "invalid_dpop_proof" && !_dpop && !dpopRetried)
            {
                dpopRetried = true;
                _dpop = true;
                OktaTokenLog.Retrying(_logger, error);
                continue;
            }

            OktaTokenLog.Refused(_logger, answer.Status, error, answer.RequestId);
            throw new OktaTokenUnavailableException($"the token endpoint answered {answer.Status} {error}");
        }
    }

    // Plain HttpClient, not Flurl: a form POST made from inside an API call's handler chain, with its own TimeProvider timeout; Flurl's URL building and JSON add nothing.
    private async Task<TokenAnswer> SendAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenUrl)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("scope", _scope),
                new("client_assertion_type", AssertionType),
                new("client_assertion", CreateAssertion()),
            ]),
        };
        request.Headers.Accept.ParseAdd("application/json");
        if (_dpop)
        {
            request.Headers.Add("DPoP", Proofs.Create(HttpMethod.Post, _tokenUrl, _tokenNonce, accessToken: null));
        }

        using var timeout = new CancellationTokenSource(_attemptTimeout, _time);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            var what = e is HttpRequestException ? "a connection failure" : "a timeout";
            OktaTokenLog.NoAnswer(_logger, what);
            throw new OktaTokenUnavailableException($"the token endpoint gave {what}");
        }

        using (response)
        {
            var requestId = OktaClientLog.RequestIdOf(response);
            var nonce = response.Headers.TryGetValues("DPoP-Nonce", out var values) ? values.FirstOrDefault() : null;
            if (_dpop && nonce is { Length: > 0 } && response.IsSuccessStatusCode)
            {
                // Okta renews its nonce every 24 hours; the newest one goes into the next proof.
                _tokenNonce = nonce;
            }

            TokenWire? wire;
            try
            {
                wire = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false), TokenJsonContext.Default.TokenWire);
            }
            catch (Exception e) when (e is JsonException or HttpRequestException or OperationCanceledException)
            {
                wire = null;
            }

            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.OK && wire is { AccessToken.Length: > 0, ExpiresIn: > 0 } ok
                && (string.Equals(ok.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase) || string.Equals(ok.TokenType, "DPoP", StringComparison.OrdinalIgnoreCase)))
            {
                var isDpop = string.Equals(ok.TokenType, "DPoP", StringComparison.OrdinalIgnoreCase);
                var lifetime = TimeSpan.FromSeconds(ok.ExpiresIn.Value);
                var expiresAt = _time.GetUtcNow() + lifetime;
                var renewAt = expiresAt - (lifetime < RenewBefore * 2 ? lifetime / 2 : RenewBefore);
                OktaTokenLog.Issued(_logger, isDpop ? "DPoP" : "Bearer", ok.ExpiresIn.Value, ok.Scope ?? "", requestId);
                return new TokenAnswer(status, new OktaAccessToken(ok.AccessToken, isDpop, expiresAt, renewAt), null, null, requestId);
            }

            return new TokenAnswer(status, null, response.IsSuccessStatusCode ? "unreadable_token_response" : wire?.Error, nonce, requestId);
        }
    }

    private string CreateAssertion()
    {
        var now = _time.GetUtcNow();
        return _jwt.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _clientId,
            Audience = _tokenUrl.ToString(),
            IssuedAt = now.UtcDateTime,
            Expires = (now + AssertionLifetime).UtcDateTime,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["sub"] = _clientId,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = _assertionKey,
        });
    }

    private sealed record TokenAnswer(int Status, OktaAccessToken? Token, string? Error, string? Nonce, string? RequestId);
}

/// <summary>The token endpoint's answer: a token, or an OAuth error (<c>error</c>, <c>error_description</c>).</summary>
internal sealed record TokenWire(
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

[JsonSerializable(typeof(TokenWire))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;

/// <summary>Token events (ids 1150-1159): grant outcomes with Okta's error code; never the assertion, a proof or a token.</summary>
internal static partial class OktaTokenLog
{
    [LoggerMessage(EventId = 1150, Level = LogLevel.Information,
        Message = "Okta issued a {TokenType} access token for {ExpiresInSeconds} s with scopes {Scopes} (request id {OktaRequestId})")]
    public static partial void Issued(ILogger logger, string tokenType, int expiresInSeconds, string scopes, string? oktaRequestId);

    [LoggerMessage(EventId = 1151, Level = LogLevel.Information,
        Message = "Okta's token endpoint answered {Error}; asking once more with a DPoP proof")]
    public static partial void Retrying(ILogger logger, string error);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Error,
        Message = "Okta's token endpoint refused the service app: {StatusCode} {Error} (request id {OktaRequestId}); every Okta call fails until a token is issued")]
    public static partial void Refused(ILogger logger, int statusCode, string error, string? oktaRequestId);

    [LoggerMessage(EventId = 1153, Level = LogLevel.Error,
        Message = "Okta's token endpoint gave no answer: {What}; every Okta call fails until a token is issued")]
    public static partial void NoAnswer(ILogger logger, string what);

    [LoggerMessage(EventId = 1154, Level = LogLevel.Information,
        Message = "Okta asked for {Reason} on a {Method} call; sending it once more")]
    public static partial void ApiRetry(ILogger logger, string reason, string method);
}
