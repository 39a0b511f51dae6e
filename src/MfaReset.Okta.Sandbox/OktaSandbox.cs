using System.Net;
using System.Security.Cryptography;
using MfaReset.Okta.Sandbox.Api;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.OAuth;
using MfaReset.Okta.Sandbox.Org;
using MfaReset.Okta.Sandbox.Simulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace MfaReset.Okta.Sandbox;

/// <summary>Starts the Okta emulator and its phone simulator on a loopback port of this process.</summary>
public static class OktaSandbox
{
    /// <summary>The phone simulator page's path on the sandbox's address.</summary>
    public const string PhoneSimulatorPath = SimulatorEndpoints.PagePath;

    /// <summary>
    /// Starts the sandbox: its own <see cref="WebApplication"/> on Kestrel at <c>127.0.0.1</c>, isolated from
    /// the host's configuration (it reads nothing but <paramref name="options"/>).
    /// </summary>
    /// <param name="options">Validated here; invalid options throw before anything listens.</param>
    /// <param name="timeProvider">The clock for codes, pushes, TOTP and buckets; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<RunningSandbox> StartAsync(SandboxOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        StartAsync(options, timeProvider, NullLoggerFactory.Instance, cancellationToken);

    /// <summary>As <see cref="StartAsync(SandboxOptions, TimeProvider?, CancellationToken)"/>, logging to <paramref name="loggerFactory"/>.</summary>
    public static async Task<RunningSandbox> StartAsync(
        SandboxOptions options, TimeProvider? timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.ThrowIfInvalid();
        var clock = timeProvider ?? TimeProvider.System;
        var token = new ApiToken(string.IsNullOrWhiteSpace(options.ApiToken) ? NewToken() : options.ApiToken);

        // An empty builder: no appsettings, environment variables or ASPNETCORE_URLS of the hosting process leak in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(OktaSandbox).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddRoutingCore();
        builder.Services.AddHostFiltering(filtering => filtering.AllowedHosts = ["127.0.0.1", "localhost", "[::1]"]);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(token);
        var serviceAppKey = ServiceAppKey.From(options.ServiceApp);
        builder.Services.AddSingleton(options.ServiceApp);
        builder.Services.AddSingleton(serviceAppKey);
        builder.Services.AddSingleton<ClientAssertionValidator>();
        builder.Services.AddSingleton<DpopProofValidator>();
        builder.Services.AddSingleton<AccessTokens>();
        builder.Services.AddSingleton<OrgAuthorizationServer>();
        builder.Services.AddSingleton<ApiAuthorization>();
        builder.Services.AddSingleton(options.SignInApp);
        builder.Services.AddSingleton<OidcSignIn>();
        builder.Services.AddSingleton<OrgUrl>();
        builder.Services.AddSingleton<SandboxOrg>();
        builder.Services.AddSingleton<FactorVerifier>();
        builder.Services.AddSingleton<UserLifecycle>();
        builder.Services.AddSingleton<OktaRepresentations>();
        builder.Services.AddSingleton<CallCounter>();
        builder.Services.AddSingleton(new RateLimitBuckets(options.RateLimits, clock));
        builder.Services.AddSingleton(new FaultDice(options.Faults));
        builder.Services.AddSingleton<ResetLedger>();
        builder.Services.AddSingleton<SandboxControl>();
        builder.Services.AddSingleton<ISandboxControl>(sp => sp.GetRequiredService<SandboxControl>());
        builder.Services.AddSingleton<ComponentRenderer>();
        builder.Services.AddSingleton<SimulatorPage>();

        var app = builder.Build();
        app.UseHostFiltering();
        app.UseRouting();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseMiddleware<ApiGate>());
        app.MapOktaApi();
        app.MapOrgAuthorizationServer();
        app.MapOidcSignIn();
        app.MapPhoneSimulator();
        app.MapGet("/", () => TypedResults.Redirect(SimulatorEndpoints.PagePath));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var baseUrl = new Uri(address.TrimEnd('/') + "/");
        // Nobody can call before this: the port is known to no one until StartAsync returns.
        app.Services.GetRequiredService<OrgUrl>().Value = baseUrl.GetLeftPart(UriPartial.Authority);
        var serviceApp = new SandboxServiceApp(options.ServiceApp.ClientId, options.ServiceApp.KeyId, serviceAppKey.DemoPrivateKeyPem,
            app.Services.GetRequiredService<OrgAuthorizationServer>().Nonce);
        var running = new RunningSandbox(app, baseUrl, token.Value, app.Services.GetRequiredService<ISandboxControl>(), serviceApp);
        var logger = loggerFactory.CreateLogger(typeof(OktaSandbox));
        Log.Started(logger, running.BaseUrl, running.PhoneSimulatorUrl);
        return running;
    }

    private static string NewToken() => "00" + RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_", 40);
}
