using MfaReset.LoadTest.Measurement;

namespace MfaReset.LoadTest.Tests.Measurement;

public sealed class PercentilesTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Theory]
    [InlineData(50, 50)]
    [InlineData(95, 95)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    public void NearestRankIsASampleThatHappened(double percent, double expected) =>
        Assert.Equal(expected, Percentiles.NearestRank(OneToHundred, percent));

    [Fact]
    public void NearestRankOfFewSamplesIsTheLargestForHighPercentiles() =>
        Assert.Equal(30, Percentiles.NearestRank([10, 20, 30], 99));

    [Fact]
    public void MedianOfOddRunsIsTheMiddleRun() => Assert.Equal(5, Percentiles.Median([9, 1, 5]));

    [Fact]
    public void MedianOfEvenRunsIsTheMeanOfTheMiddleTwo() => Assert.Equal(4, Percentiles.Median([1, 3, 5, 100]));

    [Fact]
    public void RecorderSummarizesEachPageSeparately()
    {
        var recorder = new LatencyRecorder();
        for (var i = 1; i <= 100; i++)
        {
            recorder.Record("GET /a", TimeSpan.FromMilliseconds(i), 200);
        }

        recorder.Record("POST /b", TimeSpan.FromMilliseconds(7), 302);

        var a = recorder.Summarize("GET /a")!;
        Assert.Equal((100, 50d, 95d, 99d), (a.Count, a.P50, a.P95, a.P99));
        Assert.Equal(7, recorder.Summarize("POST /b")!.P99);
        Assert.Empty(recorder.ServerErrors);
        Assert.Equal(101, recorder.Responses);
    }
}
