using System.Globalization;
using System.Security.Claims;
using MfaReset.Web.Http;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MfaReset.Web.HelpDesk;

/// <summary>
/// The console's registrations: agents sign in with the org's Okta (OpenID Connect, authorization code with PKCE,
/// answers by query so the return is a GET), into a cookie of the console's own (<c>__Host-MfaReset-HelpDesk</c>,
/// SameSite=Strict, session-only, idle and absolute limits, refused once signed out), and only members of
/// <see cref="HelpDeskOptions.AgentGroup"/> get one. With the console off, every console page answers 404.
/// </summary>
public static class HelpDeskSetup
{
    public const string CookieScheme = "HelpDesk";
    public const string OidcScheme = "HelpDeskOidc";
    public const string AgentPolicy = "HelpDeskAgent";
    public const string CallbackPath = "/helpdesk/signin-oidc";
    public const string CookieName = "__Host-MfaReset-HelpDesk";

    /// <summary>Where sign-in lands: a page without the console's cookie, whose own link then carries it (SameSite=Strict after a cross-site return).</summary>
    public const string LandingPath = "/helpdesk/signed-in";

    public const string RefusedPath = "/helpdesk/refused";
    public const string SignedOutPath = "/helpdesk/signed-out";

    public static WebApplicationBuilder AddHelpDesk(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<HelpDeskOptions>().BindConfiguration(HelpDeskOptions.SectionName).ValidateOnStart();
        // Problem pages record their references whether or not the console is on, so turning it on finds today's.
        services.AddSingleton<ProblemReferences>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HelpDeskOptions>, HelpDeskOptionsValidator>());
        if (!builder.Configuration.GetValue<bool>($"{HelpDeskOptions.SectionName}:{nameof(HelpDeskOptions.Enabled)}"))
        {
            services.Configure<RazorPagesOptions>(pages => pages.Conventions.AddFolderApplicationModelConvention("/HelpDesk", model => model.Filters.Add(new ConsoleOffFilter())));
            return builder;
        }

        services.AddScoped<CallerCheck>();
        services.AddScoped<PersonRecord>();
        services.AddSingleton<CallCookie>();
        services.TryAddSingleton<IFlowHistory>(provider => provider.GetRequiredService<IOptions<FlowStoreOptions>>().Value.Provider == FlowStoreProvider.PostgreSql
            ? new Storage.PostgreSql.PostgreSqlFlowStore(
                provider.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(FlowStoreOptions.SectionName),
                provider.GetRequiredService<IOptions<FlowStoreOptions>>().Value,
                provider.GetRequiredService<TimeProvider>())
            : provider.GetRequiredService<InMemoryFlowStore>());

        services.AddAuthentication()
            .AddCookie(CookieScheme)
            .AddOpenIdConnect(OidcScheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<HelpDeskOptions>>((cookie, helpDesk) => ConfigureCookie(cookie, helpDesk.Value));
        services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IOptions<HelpDeskOptions>, IOptions<OktaOptions>, TimeProvider>((oidc, helpDesk, okta, time) => ConfigureOidc(oidc, helpDesk.Value, okta.Value.OrgUrl, time));
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<HelpDeskOptions>>((authorization, helpDesk) =>
            authorization.AddPolicy(AgentPolicy, policy => policy
                .AddAuthenticationSchemes(CookieScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(helpDesk.Value.GroupsClaim, helpDesk.Value.AgentGroup!)));
        services.Configure<RazorPagesOptions>(pages => pages.Conventions
            .AuthorizeFolder("/HelpDesk", AgentPolicy)
            .AllowAnonymousToPage("/HelpDesk/SignedIn")
            .AllowAnonymousToPage("/HelpDesk/SignedOut")
            .AllowAnonymousToPage("/HelpDesk/Refused"));
        return builder;
    }

    /// <summary>Authentication and authorization, for the console's pages only (the reset pages carry no identity).</summary>
    public static WebApplication UseHelpDesk(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<HelpDeskOptions>>().Value.Enabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        return app;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, HelpDeskOptions helpDesk)
    {
        cookie.Cookie = new AlwaysSecureCookieBuilder
        {
            Name = CookieName,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        };
        cookie.ExpireTimeSpan = helpDesk.IdleTimeout;
        cookie.SlidingExpiration = true;
        cookie.ForwardChallenge = OidcScheme;
        cookie.AccessDeniedPath = RefusedPath;
        cookie.ReturnUrlParameter = "unused";
        cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
    }

    private static void ConfigureOidc(OpenIdConnectOptions oidc, HelpDeskOptions helpDesk, Uri? orgUrl, TimeProvider time)
    {
        var authority = helpDesk.AuthorityOr(orgUrl);
        if (authority is null)
        {
            return; // the options validator stops the start
        }

        oidc.Authority = authority.GetLeftPart(UriPartial.Path).TrimEnd('/');
        oidc.RequireHttpsMetadata = !authority.IsLoopback;
        oidc.ClientId = helpDesk.ClientId;
        oidc.ClientSecret = helpDesk.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.CallbackPath = CallbackPath;
        oidc.SignInScheme = CookieScheme;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.MapInboundClaims = false;
        oidc.DisableTelemetry = true;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "email", "groups" })
        {
            oidc.Scope.Add(scope);
        }

        oidc.TokenValidationParameters.NameClaimType = Agent.LoginClaim;
        // ID token lifetimes on the portal's clock, the one every other deadline uses.
        oidc.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } end && end >= now - parameters.ClockSkew && (notBefore is not { } start || start <= now + parameters.ClockSkew);
        };
        // The correlation and nonce cookies must come back on Okta's cross-site redirect (a top-level GET): Lax, __Host-.
        foreach (var builder in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
        {
            builder.SameSite = SameSiteMode.Lax;
            builder.SecurePolicy = CookieSecurePolicy.Always;
            builder.HttpOnly = true;
            builder.Path = "/";
        }

        oidc.CorrelationCookie.Name = "__Host-MfaReset-HelpDesk-Correlation.";
        oidc.NonceCookie.Name = "__Host-MfaReset-HelpDesk-Nonce.";
        oidc.Events.OnRedirectToIdentityProvider = RedirectToOktaAsync;
        oidc.Events.OnTokenValidated = context => AdmitAgentAsync(context, helpDesk);
        oidc.Events.OnRemoteFailure = SignInFailedAsync;
    }

    // Only a page a person opens starts a sign-in; a form post or the push poll of an ended session learns it is signed out.
    private static Task RedirectToOktaAsync(RedirectContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.HandleResponse();
            var poll = context.Request.Path.Value?.EndsWith("/status", StringComparison.OrdinalIgnoreCase) is true;
            context.Response.StatusCode = poll ? StatusCodes.Status401Unauthorized : StatusCodes.Status303SeeOther;
            if (!poll)
            {
                context.Response.Headers.Location = SignedOutPath;
            }

            return Task.CompletedTask;
        }

        context.Properties.RedirectUri = LandingPath;
        return Task.CompletedTask;
    }

    // The group check: an agent outside the group gets no console cookie at all, only the refusal page.
    private static Task AdmitAgentAsync(TokenValidatedContext context, HelpDeskOptions helpDesk)
    {
        var token = context.Principal!;
        var logger = Logger(context.HttpContext);
        var origin = RequestOrigin.Of(context.HttpContext);
        var id = token.FindFirst("sub")?.Value ?? "-";
        var login = AuditLog.Safe(token.FindFirst(Agent.LoginClaim)?.Value ?? token.FindFirst("email")?.Value);
        if (!token.FindAll(helpDesk.GroupsClaim).Any(group => string.Equals(group.Value, helpDesk.AgentGroup, StringComparison.Ordinal)))
        {
            logger.AgentRefused(id, login, "not-in-agent-group", origin.ClientIp);
            context.HandleResponse();
            context.Response.Redirect(RefusedPath);
            return Task.CompletedTask;
        }

        var session = FlowSecrets.NewSecret();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        // Only what the console needs goes in its cookie: who, the one group that admits, the session and its start.
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim("sub", id),
                new Claim(Agent.LoginClaim, login),
                new Claim(helpDesk.GroupsClaim, helpDesk.AgentGroup!),
                new Claim(Agent.SessionClaim, session),
                new Claim(Agent.SignedInClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            OidcScheme,
            Agent.LoginClaim,
            helpDesk.GroupsClaim));
        context.Properties!.IsPersistent = false;
        context.Properties.RedirectUri = LandingPath;
        logger.AgentSignedIn(id, login, FlowSecrets.LogRef(FlowSecrets.KeyOf(session)), origin.ClientIp);
        return Task.CompletedTask;
    }

    private static Task SignInFailedAsync(RemoteFailureContext context)
    {
        Logger(context.HttpContext).AgentRefused("-", "-", "sign-in-failed: " + AuditLog.Safe(context.Failure?.Message, 120), RequestOrigin.Of(context.HttpContext).ClientIp);
        context.HandleResponse();
        context.Response.Redirect(RefusedPath + "?reason=failed");
        return Task.CompletedTask;
    }

    // Every request: the session must be within its absolute lifetime and not signed out (on any instance).
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<HelpDeskOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var agent = context.Principal is { } principal ? Agent.Of(principal) : null;
        var signedIn = long.TryParse(context.Principal?.FindFirst(Agent.SignedInClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        var reason = agent is null || signedIn is null ? "malformed-session"
            : now - signedIn > options.SessionLifetime ? "session-lifetime-over"
            : await services.GetRequiredService<IFlowStore>().GetLeaseHolderAsync(HelpDeskKeys.EndedSession(agent.SessionId), context.HttpContext.RequestAborted).ConfigureAwait(false) is not null ? "session-signed-out"
            : null;
        if (reason is not null)
        {
            Logger(context.HttpContext).AgentSessionRefused(agent?.Id ?? "-", agent?.Login ?? "-", reason, RequestOrigin.Of(context.HttpContext).ClientIp);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the agent's console session everywhere: its cookie is refused by every instance until it would have expired.</summary>
    public static async Task SignOutAsync(HttpContext http, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(agent);
        var options = http.RequestServices.GetRequiredService<IOptions<HelpDeskOptions>>().Value;
        await http.RequestServices.GetRequiredService<IFlowStore>()
            .SetLeaseAsync(HelpDeskKeys.EndedSession(agent.SessionId), "ended", options.SessionLifetime, http.RequestAborted).ConfigureAwait(false);
        await http.SignOutAsync(CookieScheme).ConfigureAwait(false);
        CallCookie.Clear(http.Response);
        Logger(http).AgentSignedOut(agent.Id, agent.Login, agent.SessionRef, RequestOrigin.Of(http).ClientIp);
    }

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MfaReset.Web.HelpDesk");

    /// <summary>The console is off: its pages do not exist (answered before their models, and their services, are made).</summary>
    private sealed class ConsoleOffFilter : IResourceFilter
    {
        public void OnResourceExecuting(ResourceExecutingContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            context.Result = new NotFoundResult();
        }

        public void OnResourceExecuted(ResourceExecutedContext context)
        {
        }
    }
}
