namespace Gateway.Testing;

/// <summary>Finds the shared spec material (<c>../shared</c> beside the repository) from a test's output folder.</summary>
internal static class SpecFiles
{
    private static readonly Lazy<string> SharedRoot = new(FindSharedRoot);

    /// <summary>The full path of <paramref name="relative"/> under <c>shared/</c>, e.g. <c>spec/cesql_tck</c>.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(SharedRoot.Value, relative);

    /// <summary>The repository root (the folder holding Gateway.sln).</summary>
    public static string RepositoryRoot => FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln was not found above " + AppContext.BaseDirectory);
    }

    private static string FindSharedRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("GATEWAY_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(FindRepositoryRoot(), "..", "shared"));
        return Directory.Exists(shared)
            ? shared
            : throw new InvalidOperationException($"the shared spec folder was not found at {shared}; set GATEWAY_SHARED_DIR");
    }
}
