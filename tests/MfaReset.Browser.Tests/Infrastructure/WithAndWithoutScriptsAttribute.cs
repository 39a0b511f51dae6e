using System.Reflection;
using Xunit.Sdk;

namespace MfaReset.Browser.Tests.Infrastructure;

/// <summary>Runs a theory once with the person's browser running scripts and once with scripts off.</summary>
public sealed class WithAndWithoutScriptsAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        [[Scripting.Enabled], [Scripting.Disabled]];
}
