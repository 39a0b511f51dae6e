namespace MfaReset.LoadTest.Tests;

public sealed class DriverOptionsTests
{
    [Fact]
    public void DefaultsToSmokeWithEveryFigureInProcess()
    {
        var options = DriverOptions.Parse([]);

        Assert.Equal(DriverMode.Smoke, options.Mode);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], options.Figures.Order());
        Assert.False(options.IsExternal);
    }

    [Fact]
    public void ParsesEveryOption()
    {
        var options = DriverOptions.Parse([
            "--mode", "full", "--figures", "2, 4", "--runs", "5", "--out", "/tmp/x",
            "--portal-url", "http://127.0.0.1:5000", "--sandbox-url", "http://127.0.0.1:5001",
        ]);

        Assert.Equal(DriverMode.Full, options.Mode);
        Assert.Equal([2, 4], options.Figures.Order());
        Assert.Equal(5, LoadProfile.For(options).Runs);
        Assert.Equal("/tmp/x", options.OutputFolder);
        Assert.True(options.IsExternal);
    }

    [Fact]
    public void PushFlowsReplaceTheModesFlowCounts()
    {
        var options = DriverOptions.Parse(["--mode", "full", "--push-flows", "10000, 100000"]);

        Assert.Equal([10_000, 100_000], LoadProfile.For(options).PushWaitFlows);
        Assert.Equal([1_000, 10_000], LoadProfile.For(DriverOptions.Parse(["--mode", "full"])).PushWaitFlows);
    }

    [Fact]
    public void LongPushWaitsAndThePortalsEnvironmentAreTakenForThePortalOnly()
    {
        var options = DriverOptions.Parse(["--long-push-waits", "--portal-env", "DOTNET_GCConserveMemory=5", "--portal-env", "DOTNET_gcServer=0"]);

        Assert.True(options.LongPushWaits);
        Assert.Equal(TimeSpan.FromHours(1), DriverOptions.LongPushWaitLifetime);
        Assert.Equal(new Dictionary<string, string> { ["DOTNET_GCConserveMemory"] = "5", ["DOTNET_gcServer"] = "0" }, options.PortalEnvironment);
        Assert.False(DriverOptions.Parse([]).LongPushWaits);
        Assert.Empty(DriverOptions.Parse([]).PortalEnvironment);
    }

    [Theory]
    [InlineData("--portal-env", "DOTNET_gcServer")]
    [InlineData("--portal-env", "=0")]
    [InlineData("--mode", "huge")]
    [InlineData("--figures", "10")]
    [InlineData("--figures", "0")]
    [InlineData("--postgres", " ")]
    [InlineData("--runs", "0")]
    [InlineData("--push-flows", "0")]
    [InlineData("--push-flows", ",")]
    [InlineData("--push-flows", "1e5")]
    [InlineData("--portal-url", "ftp://x")]
    [InlineData("--portal-url", "http://127.0.0.1:5000")]
    [InlineData("--frobnicate", "1")]
    public void RejectsWhatItCannotRun(string name, string value) =>
        Assert.Throws<ArgumentException>(() => DriverOptions.Parse([name, value]));

    [Fact]
    public void PostgresGivenOnTheCommandLineWinsOverTheEnvironment()
    {
        var options = DriverOptions.Parse(["--postgres", "Host=db.example;Database=x"]);

        Assert.Equal("Host=db.example;Database=x", options.PostgresConnection);
    }

    [Fact]
    public void OptionWithoutValueIsRejected() => Assert.Throws<ArgumentException>(() => DriverOptions.Parse(["--out"]));
}
