using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Org;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;

namespace MfaReset.Okta.Sandbox.Simulator;

/// <summary>The phone simulator: its page, the page's forms, and the JSON control API the page and load drivers use.</summary>
internal static class SimulatorEndpoints
{
    public const string PagePath = "/simulator";

    /// <summary>How long <c>GET /simulator/api/resets?after=n</c> holds a portal's request when nothing is reset.</summary>
    public static readonly TimeSpan ResetLongPoll = TimeSpan.FromSeconds(25);

    // How long "Reset everything" waits for a listening portal to report that it cleared its holds.
    private static readonly TimeSpan PortalClearPatience = TimeSpan.FromSeconds(3);

    // Scripts and styles only from the sandbox itself; no inline code anywhere on the page.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void MapPhoneSimulator(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup(PagePath).AddEndpointFilter(SameOriginFilter.InvokeAsync).AddEndpointFilter(AddSecurityHeaders);
        simulator.MapPage();
        simulator.MapControlApi();
    }

    private static void MapPage(this RouteGroupBuilder simulator)
    {
        simulator.MapGet("", async (string? done, string? user, SimulatorPage page) =>
            TypedResults.Content(await page.RenderAsync(done, user).ConfigureAwait(false), "text/html; charset=utf-8"));
        simulator.MapGet("/assets/{name}", (string name) => Asset(name));
        simulator.MapGet("/qr/{factorId}.png", (string factorId, SandboxOrg org) =>
            org.FindOwner(factorId) is { } owner && owner.FindFactor(factorId) is { IsTotp: true } factor
                ? TypedResults.File(QrPng(OtpAuth.Uri(owner.Seed, factor)), "image/png")
                : Results.NotFound());

        simulator.MapPost("/pushes/{transactionId}/approve", async (string transactionId, HttpRequest request, ISandboxControl control, SandboxOrg org) =>
        {
            var form = await ReadFormAsync(request).ConfigureAwait(false);
            int? picked = int.TryParse(form["pickedNumber"], out var number) ? number : null;
            return AfterPush(control.ApprovePush(transactionId, picked), transactionId, org);
        });
        simulator.MapPost("/pushes/{transactionId}/deny", (string transactionId, ISandboxControl control, SandboxOrg org) =>
            AfterPush(control.DenyPush(transactionId), transactionId, org));
        simulator.MapPost("/users/{login}/switches", async (string login, HttpRequest request, ISandboxControl control) =>
        {
            var form = await ReadFormAsync(request).ConfigureAwait(false);
            return ForUser(() =>
            {
                control.ScriptNextPush(login, Enum.TryParse<ScriptedPushOutcome>(form["nextPush"], ignoreCase: true, out var push) ? push : ScriptedPushOutcome.None);
                control.ScriptNextCall(login, Enum.TryParse<ScriptedCallFault>(form["nextCall"], ignoreCase: true, out var call) ? call : ScriptedCallFault.None);
                return BackToPage("saved", login);
            });
        });
        simulator.MapPost("/reset", async (ISandboxControl control, HttpContext context) =>
        {
            var reset = control.Reset();
            // Say what was cleared: a portal clears its own holds only when it listens (embedded, or a
            // standalone portal's long poll) and they are its own (in memory, never a shared store).
            var portalCleared = await control.PortalClearedAsync(reset, PortalClearPatience, context.RequestAborted).ConfigureAwait(false);
            return BackToPage(portalCleared ? "reset" : "reset-org-only", login: null);
        });
    }

    private static void MapControlApi(this RouteGroupBuilder simulator)
    {
        var api = simulator.MapGroup("/api");
        api.MapGet("/users", (ISandboxControl control) => TypedResults.Json(control.ListUsers(), SimulatorJsonContext.Default.IReadOnlyListSandboxUserInfo));
        api.MapGet("/users/{login}", (string login, ISandboxControl control) =>
            ForUser(() => TypedResults.Json(control.GetUser(login), SimulatorJsonContext.Default.SandboxUserInfo)));
        api.MapGet("/users/{login}/messages", (string login, ISandboxControl control) =>
            ForUser(() => TypedResults.Json(control.GetMessages(login), SimulatorJsonContext.Default.IReadOnlyListPhoneMessage)));
        api.MapGet("/users/{login}/totp", (string login, ISandboxControl control) =>
            ForUser(() => TypedResults.Json(control.GetTotpCodes(login), SimulatorJsonContext.Default.IReadOnlyListTotpCode)));
        api.MapGet("/users/{login}/pushes", (string login, ISandboxControl control) =>
            ForUser(() => TypedResults.Json(control.GetPendingPushes(login), SimulatorJsonContext.Default.IReadOnlyListPendingPush)));
        api.MapPut("/users/{login}/next-push", async (string login, HttpRequest request, ISandboxControl control) =>
            await ReadBodyAsync(request, SimulatorJsonContext.Default.NextPushRequest).ConfigureAwait(false) is { } body
                ? ForUser(() =>
                {
                    control.ScriptNextPush(login, body.Outcome);
                    return TypedResults.NoContent();
                })
                : BadBody());
        api.MapPut("/users/{login}/next-call", async (string login, HttpRequest request, ISandboxControl control) =>
            await ReadBodyAsync(request, SimulatorJsonContext.Default.NextCallRequest).ConfigureAwait(false) is { } body
                ? ForUser(() =>
                {
                    control.ScriptNextCall(login, body.Fault);
                    return TypedResults.NoContent();
                })
                : BadBody());
        api.MapPost("/pushes/{transactionId}/approve", ApproveAsync);
        api.MapPost("/pushes/{transactionId}/deny", (string transactionId, ISandboxControl control) =>
            TypedResults.Json(new PushAnswerResponse(control.DenyPush(transactionId)), SimulatorJsonContext.Default.PushAnswerResponse));
        api.MapGet("/calls", (ISandboxControl control) => TypedResults.Json(control.GetCallCounts(), SimulatorJsonContext.Default.CallCounts));
        api.MapDelete("/calls", (ISandboxControl control) =>
        {
            control.ResetCallCounts();
            return TypedResults.NoContent();
        });
        api.MapPost("/reset", (ISandboxControl control) =>
        {
            control.Reset();
            return TypedResults.NoContent();
        });

        // A portal on the standalone sandbox learns of resets here (a long poll) and reports clearing its holds.
        api.MapGet("/resets", async (long? after, ISandboxControl control, HttpContext context) =>
            TypedResults.Json(
                new ResetsResponse(await control.WaitForResetAsync(after ?? -1, ResetLongPoll, context.RequestAborted).ConfigureAwait(false)),
                SimulatorJsonContext.Default.ResetsResponse));
        api.MapPost("/resets/{reset:long}/portal-cleared", (long reset, ISandboxControl control) =>
        {
            control.ReportPortalCleared(reset);
            return TypedResults.NoContent();
        });

        // A portal on the standalone sandbox says which methods it offers, so the page can flag the others.
        api.MapPut("/portal/factor-kinds", async (HttpRequest request, SandboxOptions options) =>
            await ReadBodyAsync(request, SimulatorJsonContext.Default.PortalFactorKindsRequest).ConfigureAwait(false) is { } body
                && body.FactorKinds.All(k => Enum.TryParse<SandboxFactorKind>(k, ignoreCase: true, out _))
                ? (IResult)SetPortalFactorKinds(options, body.FactorKinds)
                : BadBody());
    }

    private static NoContent SetPortalFactorKinds(SandboxOptions options, IReadOnlyList<string> kinds)
    {
        options.PortalFactorKinds = [.. kinds];
        return TypedResults.NoContent();
    }

    // The body is optional: only number matching needs {"pickedNumber": n}.
    private static async Task<IResult> ApproveAsync(string transactionId, HttpRequest request, ISandboxControl control)
    {
        var body = request.HasJsonContentType()
            ? await ReadBodyAsync(request, SimulatorJsonContext.Default.PushAnswerRequest).ConfigureAwait(false)
            : new PushAnswerRequest(null);
        return body is null
            ? BadBody()
            : TypedResults.Json(new PushAnswerResponse(control.ApprovePush(transactionId, body.PickedNumber)), SimulatorJsonContext.Default.PushAnswerResponse);
    }

    // A post without form fields (or not a form at all) counts as an empty form.
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request) =>
        request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;

    private static async Task<T?> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return null;
        }

        try
        {
            return await request.ReadFromJsonAsync(typeInfo, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonHttpResult<ControlError> BadBody() =>
        TypedResults.Json(new ControlError("Send a JSON body as documented in the sandbox README."), SimulatorJsonContext.Default.ControlError, statusCode: StatusCodes.Status400BadRequest);

    // Post, redirect, get: the notice names which section to show it in.
    private static RedirectHttpResult AfterPush(PushAnswerOutcome outcome, string transactionId, SandboxOrg org)
    {
        var notice = outcome switch
        {
            PushAnswerOutcome.Approved => "approved",
            PushAnswerOutcome.Denied => "denied",
            PushAnswerOutcome.WrongNumber => "wrong-number",
            _ => "not-pending",
        };
        return BackToPage(notice, org.Transactions.TryGetValue(transactionId, out var push) ? push.User.Seed.Login : null);
    }

    private static RedirectHttpResult BackToPage(string notice, string? login)
    {
        var query = QueryString.Create([new("done", notice), .. login is null ? [] : new KeyValuePair<string, string?>[] { new("user", login) }]);
        var fragment = login is null ? "" : "#" + SimulatorPage.Slug(login);
        // A 302 after a POST is followed with a GET by browsers and fetch alike.
        return TypedResults.Redirect($"{PagePath}{query}{fragment}");
    }

    private static IResult Asset(string name)
    {
        var contentType = Path.GetExtension(name) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => null,
        };
        var stream = contentType is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream($"MfaReset.Okta.Sandbox.Assets.{name}");
        return stream is null ? Results.NotFound() : TypedResults.Stream(stream, contentType);
    }

    private static byte[] QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(4);
    }

    // Control calls name users by login; an unknown one is a 404, not a 500.
    private static IResult ForUser(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.Json(new ControlError(e.Message), SimulatorJsonContext.Default.ControlError, statusCode: StatusCodes.Status404NotFound);
        }
    }

    private static ValueTask<object?> AddSecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Codes and pushes change every second; nothing here may be cached.
        headers.CacheControl = "no-store";
        return next(context);
    }
}
