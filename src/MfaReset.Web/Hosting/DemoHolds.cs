using MfaReset.Web.Storage.InMemory;

namespace MfaReset.Web.Hosting;

/// <summary>
/// The portal's half of the simulator's "Reset everything": the flows, limits, pauses and used-code records
/// the demo left in this process's memory. A shared store (<c>FlowStore:Provider=PostgreSql</c>) holds every
/// instance's records and is never wiped from a demo page, so with it only the emulator's org is reset.
/// </summary>
public sealed partial class DemoHolds(IServiceProvider services, IOptions<FlowStoreOptions> flowStore, ILogger<DemoHolds> logger)
{
    /// <summary>Clears the portal's holds when they are the demo's own (in memory); false when they are in a shared store.</summary>
    public bool Clear()
    {
        if (flowStore.Value.Provider != FlowStoreProvider.InMemory)
        {
            Log.SharedStoreKept(logger, flowStore.Value.Provider);
            return false;
        }

        services.GetRequiredService<InMemoryFlowStore>().Clear();
        Log.Cleared(logger);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1302, LogLevel.Information, "Sandbox reset from the phone simulator: the portal's flows, limits and pauses (in memory) were cleared")]
        public static partial void Cleared(ILogger logger);

        [LoggerMessage(1303, LogLevel.Warning, "Sandbox reset from the phone simulator: the portal's flow store is shared ({Provider}) and was left as it is; only the emulator's org was reset")]
        public static partial void SharedStoreKept(ILogger logger, FlowStoreProvider provider);
    }
}
