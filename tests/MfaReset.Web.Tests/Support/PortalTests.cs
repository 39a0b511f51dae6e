namespace MfaReset.Web.Tests.Support;

/// <summary>Base of the page tests: one <typeparamref name="TApp"/> per class, a fresh start per test.</summary>
public abstract class PortalTests<TApp> : IClassFixture<TApp>
    where TApp : PortalApp
{
    protected PortalTests(TApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        App = app;
        App.FreshStart();
    }

    protected TApp App { get; }
}
