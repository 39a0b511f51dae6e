namespace MfaReset.Web.Reset.State;

/// <summary>What a <see cref="FlowProblem"/> means for the flow it ends, or does not end.</summary>
public static class FlowProblems
{
    /// <summary>Whether the flow survives the problem, so its page leads back into it rather than only to a new start.</summary>
    public static bool KeepsFlow(FlowProblem problem) =>
        problem is FlowProblem.Unavailable or FlowProblem.Busy or FlowProblem.AccountBeingActivated || LeadsToAnotherMethod(problem);

    /// <summary>Okta refused this method only: the flow is kept and its way on is the method menu.</summary>
    public static bool LeadsToAnotherMethod(FlowProblem problem) =>
        problem is FlowProblem.PhoneNotAllowed or FlowProblem.PhoneOptedOut or FlowProblem.MethodNeedsMore;
}
