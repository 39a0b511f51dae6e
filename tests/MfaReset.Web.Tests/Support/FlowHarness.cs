using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Flow;
using MfaReset.Web.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace MfaReset.Web.Tests.Support;

/// <summary>A <see cref="ResetFlow"/> on a fake clock, an in-memory store and <see cref="FakeOktaClient"/>.</summary>
public sealed class FlowHarness
{
    public static readonly PushRequestContext Browser = new("203.0.113.7", "Mozilla/5.0 (test)", UseNumberMatching: true);

    public FlowHarness(Action<ResetOptions>? configure = null)
    {
        // Decoy padding samples real latencies; on a fake clock those are zero, and so must the fallback be.
        Options.DefaultOktaLatency = TimeSpan.Zero;
        configure?.Invoke(Options);
        Store = new InMemoryFlowStore(Clock);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Flow = new ResetFlow(Okta, Store, new FactorMenu(options), new OktaLatency(Clock, options), Clock, options, NullLogger<ResetFlow>.Instance);
    }

    public FakeTimeProvider Clock { get; } = new();

    public FakeOktaClient Okta { get; } = new();

    public ResetOptions Options { get; } = new();

    public InMemoryFlowStore Store { get; }

    public ResetFlow Flow { get; }

    public async Task<string> StartAsync(string username, string? previous = null) =>
        await Flow.StartAsync(username, previous, CancellationToken.None) switch
        {
            StartResult.Started started => started.FlowSecret,
            var other => throw new InvalidOperationException($"Expected a started flow, got {other}."),
        };

    /// <summary>Starts a flow and chooses the method of <paramref name="kind"/> in the generic menu.</summary>
    public async Task<string> ChooseAsync(string username, FactorKind kind)
    {
        var secret = await StartAsync(username);
        var menu = (MenuResult.Menu)await Flow.GetMenuAsync(secret, CancellationToken.None);
        var key = menu.Options.Single(o => o.Kind == kind).Key;
        await Flow.ChooseAsync(secret, key, CancellationToken.None);
        return secret;
    }

    /// <summary>A flow of a TOTP user that has verified: its rotated cookie and reset token.</summary>
    public async Task<VerifiedCredentials> VerifiedAsync(string username)
    {
        var secret = await ChooseAsync(username, FactorKind.OktaVerifyTotp);
        return await Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, CancellationToken.None) switch
        {
            VerifyCodeResult.Verified verified => verified.Credentials,
            var other => throw new InvalidOperationException($"Expected verification, got {other}."),
        };
    }
}
