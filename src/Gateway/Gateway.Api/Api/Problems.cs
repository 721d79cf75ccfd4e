using Gateway.Protocols.Abstractions;

namespace Gateway.Api;

/// <summary>RFC 9457 problem details that name every offending field.</summary>
internal static class Problems
{
    /// <summary>400 (or another 4xx) with one entry per field in <c>errors</c>.</summary>
    public static IResult Invalid(IEnumerable<ValidationError> errors, string title, int status = StatusCodes.Status400BadRequest)
    {
        var list = errors.Select(e => new Dictionary<string, string> { ["field"] = e.Field, ["message"] = e.Message }).ToArray();
        return TypedResults.Problem(
            detail: string.Join("; ", list.Select(e => $"{e["field"]}: {e["message"]}")),
            statusCode: status,
            title: title,
            type: $"https://cloudevents.io/gateway/problems/{status}",
            extensions: new Dictionary<string, object?> { ["errors"] = list });
    }

    /// <summary>A problem about one field.</summary>
    public static IResult Invalid(string field, string message, string title, int status = StatusCodes.Status400BadRequest) =>
        Invalid([new ValidationError(field, message)], title, status);

    /// <summary>404 for an unknown subscription, or another kind of resource.</summary>
    public static IResult NotFound(string id, string what = "subscription") =>
        TypedResults.Problem(
            detail: $"no {what} has the id '{id}'",
            statusCode: StatusCodes.Status404NotFound,
            title: $"{char.ToUpperInvariant(what[0])}{what[1..]} not found");
}
