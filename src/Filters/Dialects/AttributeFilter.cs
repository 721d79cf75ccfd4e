using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Dialects;

/// <summary>One attribute and the string it is compared with.</summary>
public readonly record struct AttributeCondition(string Attribute, string Value);

/// <summary>
/// Evaluates <c>exact</c>/<c>prefix</c>/<c>suffix</c>: every condition must hold (FLT-06), comparisons are ordinal
/// (FLT-07), a missing attribute fails (FLT-08), and non-string values compare by canonical string (FLT-09).
/// </summary>
internal sealed class AttributeFilter(AttributeMatchKind kind, AttributeCondition[] conditions) : IEventFilter
{
    /// <summary>How the conditions compare; the match index files subscriptions by it.</summary>
    public AttributeMatchKind Kind => kind;

    /// <summary>The conditions, all of which must hold.</summary>
    public IReadOnlyList<AttributeCondition> Conditions => conditions;

    public bool Matches(CloudEvent cloudEvent)
    {
        foreach (var condition in conditions)
        {
            if (!cloudEvent.TryGetAttribute(condition.Attribute, out var actual) || !Compare(actual.Text, condition.Value))
            {
                return false;
            }
        }

        return true;
    }

    private bool Compare(string actual, string expected) => kind switch
    {
        AttributeMatchKind.Exact => string.Equals(actual, expected, StringComparison.Ordinal),
        AttributeMatchKind.Prefix => actual.StartsWith(expected, StringComparison.Ordinal),
        _ => actual.EndsWith(expected, StringComparison.Ordinal),
    };
}
