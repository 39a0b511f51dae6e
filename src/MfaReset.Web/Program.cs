using MfaReset.Web.HelpDesk;
using MfaReset.Web.Hosting;
using MfaReset.Web.Notifications;
using MfaReset.Web.Preflight;

// lift-pause <username>: the help desk lifts a verification pause (docs/operations.md), and nothing else runs
if (HelpDeskCommand.IsCommand(args))
{
    return await HelpDeskCommand.RunAsync(args, Console.Out);
}

// check-okta: the preflight of a rollout prints what the configured credentials may read (docs/okta-setup.md)
if (PreflightCommand.IsCommand(args))
{
    return await PreflightCommand.RunAsync(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);

// Structured logs through Serilog (console; configured in appsettings.json)
builder.AddPortalLogging();

// Okta:OrgUrl, or the Okta sandbox (embedded on loopback in Development or with Sandbox:Enabled=true; standalone
// with Sandbox:Enabled=true and a loopback Okta:OrgUrl). Outside Development a missing org stops the start in one line.
if (!builder.TryAddSandboxWhenNoOrg(out var refusal))
{
    await Console.Error.WriteLineAsync("MfaReset will not start: " + refusal);
    return 1;
}

// The Okta client: SSWS token or OAuth service app (Okta:Authorization), timeouts, GET-only retries; Okta:* validated on start
builder.Services.AddOktaClient();

// Where flows, limits and leases live: this process's memory, or PostgreSQL shared by every instance (FlowStore:*)
builder.Services.AddFlowStore();

// Data Protection keys: with PostgreSQL, shared by every instance and protected at rest (FlowStore:KeyCertificatePath)
builder.Services.AddSharedKeyRing();

// The reset flow: Reset:* and Branding:* options validated on start, the org's policies and admins, the state machine
builder.Services.AddResetFlow();

// Notices after every reset and unlock (Notifications:*, off by default): the outbox, its sender, "this wasn't me"
builder.Services.AddChangeNotices();
// check-okta's reads once at start: one log line each, and on /readyz's detail for operators (never its public answer)
builder.Services.AddOktaPreflight();

// Razor Pages and their filters
builder.AddPortalWeb();

// Antiforgery with __Host- cookies, the global concurrency limit, client addresses from known proxies only, HSTS
builder.AddPortalSecurity();

// /healthz (liveness) and /readyz (readiness: the flow store, Okta's circuit and quota; never a call to Okta)
builder.Services.AddPortalHealthChecks();

// The help-desk console at /helpdesk (HelpDesk:Enabled): agents sign in with the org's Okta, must be in HelpDesk:AgentGroup
builder.AddHelpDesk();

// English, Spanish, French and German: the language cookie, then Accept-Language
builder.AddPortalLocalization();

// The MfaReset meter, over OTLP (OpenTelemetry:Endpoint) and/or a Prometheus scrape endpoint (Metrics:Prometheus)
builder.AddPortalMetrics();

var app = builder.Build();

// Metrics:Prometheus=true: the scrape (Metrics:PrometheusPath) on connections to Metrics:PrometheusPort only
app.UsePortalMetrics();

// Security headers, friendly error pages, HTTPS outside Development, static files, cross-site guard
app.UsePortal();

// Authentication for the console's pages (only when HelpDesk:Enabled)
app.UseHelpDesk();

// The reset pages, /healthz (liveness), /readyz (readiness) and /branding.css
app.MapPortal();

// GET /language/{culture}: the language links of every page
app.MapLanguageSwitch();

// With the embedded sandbox: /sandbox/phone, the phone simulator's stable address
app.MapSandboxPhone();

await app.RunAsync();
return 0;
