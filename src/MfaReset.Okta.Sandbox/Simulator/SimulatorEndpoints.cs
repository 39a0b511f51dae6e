using Microsoft.AspNetCore.Mvc;

namespace MfaReset.Okta.Sandbox.Simulator;

/// <summary>The phone simulator: its page, the page's forms, and the JSON control API the page and load drivers use.</summary>
internal static class SimulatorEndpoints
{
    public const string PagePath = "/simulator";

    public static void MapPhoneSimulator(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup(PagePath).AddEndpointFilter(SameOriginFilter.InvokeAsync);
        simulator.MapControlApi();
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
        api.MapPut("/users/{login}/next-push", (string login, NextPushRequest request, ISandboxControl control) =>
            ForUser(() =>
            {
                control.ScriptNextPush(login, request.Outcome);
                return TypedResults.NoContent();
            }));
        api.MapPut("/users/{login}/next-call", (string login, NextCallRequest request, ISandboxControl control) =>
            ForUser(() =>
            {
                control.ScriptNextCall(login, request.Fault);
                return TypedResults.NoContent();
            }));
        api.MapPost("/pushes/{transactionId}/approve", (string transactionId, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] PushAnswerRequest? request, ISandboxControl control) =>
            TypedResults.Json(new PushAnswerResponse(control.ApprovePush(transactionId, request?.PickedNumber)), SimulatorJsonContext.Default.PushAnswerResponse));
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
}
