using MfaReset.LoadTest;

try
{
    var options = DriverOptions.Parse(args);
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    var report = await LoadDriver.RunAsync(options, Console.Out, cancel.Token);
    return report.Succeeded ? 0 : 1;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(DriverOptions.Usage);
    return 2;
}
