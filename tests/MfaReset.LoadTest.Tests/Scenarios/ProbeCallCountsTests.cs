using MfaReset.LoadTest.Sandbox;

namespace MfaReset.LoadTest.Tests.Scenarios;

public sealed class ProbeCallCountsTests
{
    [Fact]
    public void TheOrgWideBackgroundReadsAreNobodysPoll()
    {
        // A wait of 30,000 flows met the portal's read of the administrators' list (6 calls about no one).
        var counts = new ProbeCallCounts(
            new Dictionary<string, long> { [ProbeCallCounts.PushPoll] = 3, ["listAssignees"] = 1, ["listGroupUsers"] = 5 },
            new Dictionary<string, IReadOnlyDictionary<string, long>>
            {
                ["ann@example.com"] = new Dictionary<string, long> { [ProbeCallCounts.PushPoll] = 2 },
                ["bob@example.com"] = new Dictionary<string, long> { [ProbeCallCounts.PushPoll] = 1 },
            });

        Assert.Equal(9, counts.Total);
        Assert.Equal(3, counts.AboutPeople);
    }
}
