using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Okta.Benchmarks;

/// <summary>
/// One client call each, through the real registration (<c>AddOktaClient</c>: SSWS handler, resilience
/// pipeline, in-flight cap, metrics, logging) with only the primary handler replaced by <see cref="FixtureAnswers"/>.
/// </summary>
[MemoryDiagnoser]
public class Benchmarks
{
    public const string UserId = "00ub0oNGTSWTBKOLGLNR";
    public const string FactorId = "sms2gt8gzgEBPUWBIFHN";
    public const string UserPath = "/api/v1/users/isaac.brock%40example.com";
    public const string FactorsPath = $"/api/v1/users/{UserId}/factors";
    public const string VerifyPath = $"/api/v1/users/{UserId}/factors/{FactorId}/verify";
    public const string MissingUserPath = "/api/v1/users/nobody%40example.com";
    public const string ThrottledUserPath = "/api/v1/users/busy%40example.com";

    private static readonly Uri OrgUrl = new("https://bench.okta.example/");

    private ServiceProvider? _services;
    private IOktaClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Okta:OrgUrl"] = OrgUrl.ToString(),
                ["Okta:ApiToken"] = "00BENCH-token",
            })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging();
        services.AddOktaClient().ConfigurePrimaryHttpMessageHandler(() => new FixtureAnswers(OrgUrl));
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<IOktaClient>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark(Baseline = true)]
    public Task<OktaResult<OktaUser>> GetUser() => _client.GetUserAsync("isaac.brock@example.com");

    [Benchmark]
    public Task<OktaResult<IReadOnlyList<OktaFactor>>> ListFactors() => _client.ListFactorsAsync(UserId);

    [Benchmark]
    public Task<FactorVerifyResult> VerifyPasscode() => _client.VerifyPasscodeAsync(UserId, FactorId, "123456");

    [Benchmark]
    public Task<OktaResult<OktaUser>> UserNotFound404() => _client.GetUserAsync("nobody@example.com");

    [Benchmark]
    public Task<OktaResult<OktaUser>> RateLimited429() => _client.GetUserAsync("busy@example.com");
}
