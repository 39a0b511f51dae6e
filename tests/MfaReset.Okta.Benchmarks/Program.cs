using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: the fixtures are found from the build output, and a 2-core shared machine is spared a second build.
// Ten measured iterations keep a run near a minute; compare ratios between runs, not absolute times.
var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10);
BenchmarkSwitcher.FromAssembly(typeof(MfaReset.Okta.Benchmarks.Benchmarks).Assembly).Run(args, DefaultConfig.Instance.AddJob(job));
