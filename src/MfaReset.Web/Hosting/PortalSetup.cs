using MfaReset.Web.Http;
using MfaReset.Web.Pages;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MfaReset.Web.Hosting;

/// <summary>The portal's registrations and pipeline, one method per line of <c>Program.cs</c>.</summary>
public static class PortalSetup
{
    /// <summary>Options (validated on start) and the flow service with what it uses; the store it keeps flows in is <c>AddFlowStore</c>'s.</summary>
    public static IServiceCollection AddResetFlow(this IServiceCollection services)
    {
        services.AddValidatedOptions<ResetOptions, ResetOptionsValidator>(ResetOptions.SectionName);
        services.AddValidatedOptions<BrandingOptions, BrandingOptionsValidator>(BrandingOptions.SectionName);
        services.AddOptions<BenchmarkOptions>().BindConfiguration(BenchmarkOptions.SectionName);
        // Reset:PushLifetime, IdleTimeout and FlowLifetime within Okta's and the requirements' caps, unless the load driver's switch lifts them.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResetOptions>, ResetLifetimeCaps>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PortalMetrics>(); // the flow's, the store's and the password checks' instruments
        services.AddClientRateLimit();
        services.AddSingleton<FactorMenu>();
        services.AddSingleton<OktaLatency>();
        services.AddSingleton<VerificationPause>();
        services.AddTransient<PauseLift>();
        // Who sent the request, for the flow's security events; resolved after UseForwardedHeaders has run.
        services.AddHttpContextAccessor();
        services.TryAddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext is { } http ? RequestOrigin.Of(http) : RequestOrigin.None);
        services.AddValidatedOptions<PasswordOptions, PasswordOptionsValidator>(PasswordOptions.SectionName);
        services.AddHttpClient(PasswordChecks.BreachClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            // The factory's request logging would write the hash prefix; the check logs its own failures.
            .RemoveAllLoggers();
        services.AddSingleton<PasswordChecks>();
        services.AddSingleton<OktaHealth>();
        // Cached for every flow: the org's policies are read once per Reset:RecoveryPolicyCacheLifetime.
        services.AddSingleton<OrgRecoveryPolicy>();
        // The org's administrators, read for everyone every Reset:AdminListRefreshInterval (Reset:AdminCheck OrgList).
        services.AddSingleton<OrgAdminList>();
        services.AddHostedService<OrgAdminListRefresh>();
        // The flow the per-client limit read with its count, for the request's first read of it.
        services.TryAddScoped<FlowReadAhead>();
        // Each request's Okta calls share one Okta:TotalBudget, however many there are.
        services.AddScoped(sp => ActivatorUtilities.CreateInstance<ResetFlow>(sp, new OktaRequestBudget(
            sp.GetRequiredService<MfaReset.Okta.IOktaClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MfaReset.Okta.OktaOptions>>().Value.TotalBudget)));
        return services;
    }

    /// <summary>Razor Pages with their filters (antiforgery failures logged, refusals, the tab guard), lowercase routes, no Server header.</summary>
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddRazorPages(pages => pages.Conventions.AddFolderApplicationModelConvention("/Reset", model => model.Filters.Add(new Microsoft.AspNetCore.Mvc.ServiceFilterAttribute(typeof(FlowTabGuard)))))
            .AddMvcOptions(mvc =>
            {
                mvc.Filters.Add<AntiforgeryFailureLogger>();
                mvc.Filters.Add<RequestRefusalFilter>();
            })
            // Validation messages are keys of the shared resources, like every other text.
            .AddDataAnnotationsLocalization(annotations => annotations.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        builder.Services.AddScoped<FlowTabGuard>();
        builder.Services.Configure<RouteOptions>(routes => routes.LowercaseUrls = true);
        return builder;
    }

    /// <summary>
    /// Antiforgery with its <c>__Host-</c> cookie, the global concurrency limit, the client address only from known
    /// proxies (ReverseProxy:*), and HSTS.
    /// </summary>
    public static WebApplicationBuilder AddPortalSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie = new AlwaysSecureCookieBuilder
            {
                Name = "__Host-MfaReset-Antiforgery",
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                SecurePolicy = CookieSecurePolicy.SameAsRequest, // Secure is forced by the builder
                Path = "/",
                IsEssential = true,
            };
            antiforgery.HeaderName = "RequestVerificationToken";
            antiforgery.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY
        });
        builder.Services.AddRequestConcurrencyLimit();
        builder.Services.AddValidatedOptions<ReverseProxyOptions, ReverseProxyOptionsValidator>(ReverseProxyOptions.SectionName);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxies) =>
        {
            // The client IP (forwarded to Okta with pushes, used for rate limits) is taken only from proxies named here.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies.Value.Addresses)
            {
                forwarded.KnownProxies.Add(proxy);
            }
        });
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
            hsts.ExcludedHosts.Clear();
        });
        return builder;
    }

    /// <summary>The middleware, outermost first.</summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        // Before the error pages, so they speak the person's language too.
        app.UseRequestLocalization();
        app.UsePortalRequestLogging();
        app.UseSecurityHeaders();
        app.UseFriendlyErrorPages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        // Before anything that costs a store or Okta call; after the error pages, which explain a refusal.
        app.UseRequestConcurrencyLimit();
        app.UseCrossSiteRequestGuard();
        app.UseClientRateLimit();
        app.UseReadableForms();
        return app;
    }

    /// <summary>The pages, the health endpoints and the branding stylesheet.</summary>
    public static WebApplication MapPortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        app.MapPortalHealthChecks();
        // Colours are validated as #rrggbb, so nothing but a colour reaches the stylesheet.
        app.MapGet("/branding.css", (IOptions<BrandingOptions> branding) =>
            Results.Text($":root {{ --brand: {branding.Value.PrimaryColor}; --brand-light: {BrandColors.Lighten(branding.Value.PrimaryColor)}; }}\n", "text/css"));
        return app;
    }
}
