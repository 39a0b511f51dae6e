using System.Reflection;
using MfaReset.Okta;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Reset;
using Microsoft.Extensions.Logging;

namespace MfaReset.Web.Tests.Reset.Audit;

/// <summary>
/// One event id means one event across the portal, its Okta client and the sandbox (all log into the same stream),
/// so an alert or a search on an id (docs/operations.md, "Event ids") finds that event and no other.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] SourceAssemblies = [typeof(ResetFlow).Assembly, typeof(IOktaClient).Assembly, typeof(OktaSandbox).Assembly];

    [Fact]
    public void NoTwoLogEventsOfThePortalItsOktaClientOrTheSandboxShareAnId()
    {
        var events = LogEvents().ToList();

        var shared = events.GroupBy(e => e.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Name))}")
            .ToList();

        Assert.True(events.Count > 50, $"Only {events.Count} [LoggerMessage] methods found: the scan is not reading the assemblies.");
        Assert.Empty(shared);
    }

    private static IEnumerable<(int Id, string Name)> LogEvents() =>
        from assembly in SourceAssemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (attribute.EventId, $"{type.Name}.{method.Name}");
}
