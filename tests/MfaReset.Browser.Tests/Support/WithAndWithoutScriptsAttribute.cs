using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace MfaReset.Browser.Tests.Support;

/// <summary>Runs a theory once with the person's browser running scripts and once with scripts off.</summary>
public sealed class WithAndWithoutScriptsAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        ValueTask.FromResult<IReadOnlyCollection<ITheoryDataRow>>(
            [new TheoryDataRow<Scripting>(Scripting.Enabled), new TheoryDataRow<Scripting>(Scripting.Disabled)]);

    public override bool SupportsDiscoveryEnumeration() => true;
}
