using System.Globalization;

namespace MfaReset.LoadTest.Measurement;

/// <summary>
/// A process's resident memory by what each mapping holds, from <c>/proc/PID/smaps</c>: where the kernel's totals put the
/// runtime's executable memory under "shared" and every assembly and native library under "files", this says which is which.
/// </summary>
/// <param name="ExecutableCode">
/// The runtime's executable-memory file (<c>memfd:doublemapper</c>) mapped executable: JIT-compiled code and stubs.
/// </param>
/// <param name="RuntimeWritable">
/// The same file mapped writable: the runtime's loader heaps allocated through its executable-memory allocator (types' and
/// methods' data, the stubs' data pages) and the writable twin of code being written (W^X: never writable and executable at once).
/// </param>
/// <param name="Assemblies">Managed assemblies mapped from disk (<c>*.dll</c>): the framework's and the portal's.</param>
/// <param name="NativeLibraries">Native libraries (<c>*.so</c>): the runtime, the JIT, ICU's data, OpenSSL.</param>
/// <param name="NativeHeap">The C heap's main arena (<c>[heap]</c>); malloc's other arenas are anonymous mappings.</param>
/// <param name="OtherAnonymous">Every other anonymous mapping: the GC's heaps, malloc's other arenas, thread stacks.</param>
internal sealed record Mappings(long ExecutableCode, long RuntimeWritable, long Assemblies, long NativeLibraries, long NativeHeap, long OtherAnonymous)
{
    private const string ExecutableMemoryFile = "doublemapper";

    /// <summary>Sums each mapping's <c>Rss</c> (the kernel writes kB) under the kind of its header line's path and permissions.</summary>
    public static Mappings Parse(IEnumerable<string> smaps)
    {
        long code = 0, writable = 0, assemblies = 0, libraries = 0, heap = 0, anonymous = 0;
        var kind = Kind.Other;
        foreach (var line in smaps)
        {
            if (Header(line) is { } header)
            {
                kind = header;
                continue;
            }

            if (!line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                continue;
            }

            var bytes = long.Parse(line["Rss:".Length..].Trim()[..^"kB".Length].Trim(), CultureInfo.InvariantCulture) * 1024;
            switch (kind)
            {
                case Kind.Code: code += bytes; break;
                case Kind.RuntimeWritable: writable += bytes; break;
                case Kind.Assembly: assemblies += bytes; break;
                case Kind.Library: libraries += bytes; break;
                case Kind.Heap: heap += bytes; break;
                case Kind.Anonymous: anonymous += bytes; break;
                default: break;
            }
        }

        return new Mappings(code, writable, assemblies, libraries, heap, anonymous);
    }

    // "start-end perms offset dev inode [path]": a mapping's header; the fields under it are "Name: value kB".
    private static Kind? Header(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || !fields[0].Contains('-', StringComparison.Ordinal) || fields[0].EndsWith(':'))
        {
            return null;
        }

        var permissions = fields[1];
        var path = fields.Length == 6 ? fields[5].Trim() : "";
        return path switch
        {
            "" => Kind.Anonymous,
            "[heap]" => Kind.Heap,
            _ when path.Contains(ExecutableMemoryFile, StringComparison.Ordinal) => permissions.Contains('x', StringComparison.Ordinal) ? Kind.Code : Kind.RuntimeWritable,
            _ when path.EndsWith(".dll", StringComparison.Ordinal) => Kind.Assembly,
            _ when path.Contains(".so", StringComparison.Ordinal) => Kind.Library,
            _ when path.StartsWith("[stack", StringComparison.Ordinal) || path.StartsWith("[anon", StringComparison.Ordinal) => Kind.Anonymous,
            _ => Kind.Other,
        };
    }

    private enum Kind
    {
        Other,
        Code,
        RuntimeWritable,
        Assembly,
        Library,
        Heap,
        Anonymous,
    }
}
