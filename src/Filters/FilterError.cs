namespace Gateway.Filters;

/// <summary>A filter rule broken at create or update time: the JSON path (<c>filters[0].exact.type</c>) and why.</summary>
public sealed record FilterError(string Path, string Message);
