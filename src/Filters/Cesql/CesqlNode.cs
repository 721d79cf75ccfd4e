using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Cesql;

/// <summary>A compiled sub-expression. Nodes are immutable and evaluate without allocating in the common cases.</summary>
internal abstract class CesqlNode
{
    /// <summary>The type this node returns; null for an attribute, whose type is the event's.</summary>
    public abstract CesqlType? Type { get; }

    public abstract CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state);

    /// <summary>Evaluates and casts to <paramref name="type"/>; a failed operand gives a failed zero value.</summary>
    protected static CesqlValue Operand(CesqlNode node, CesqlType type, CloudEvent cloudEvent, ref CesqlState state) =>
        CesqlCasts.To(type, node.Evaluate(cloudEvent, ref state), ref state);
}

internal sealed class LiteralNode(CesqlValue value) : CesqlNode
{
    public override CesqlType? Type => value.Type;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state) => value;
}

/// <summary>An attribute by name (SQL-06); a missing one is a MissingAttributeError (SQL-07).</summary>
internal sealed class AttributeNode(string name) : CesqlNode
{
    public override CesqlType? Type => null;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        if (!cloudEvent.TryGetAttribute(name, out var value))
        {
            // SQL-08: when the type cannot be known, Boolean.
            return state.Fail(CesqlErrorKind.MissingAttribute, $"the event has no attribute '{name}'", CesqlType.Boolean);
        }

        return value.Type switch
        {
            CloudEventValueType.Integer => CesqlValue.From(value.Integer),
            CloudEventValueType.Boolean => CesqlValue.From(value.Boolean),
            _ => CesqlValue.From(value.Text),
        };
    }
}

/// <summary><c>EXISTS name</c>: never an error; required attributes always exist (SQL-09).</summary>
internal sealed class ExistsNode(string name) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Boolean;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state) =>
        CesqlValue.From(cloudEvent.TryGetAttribute(name, out _));
}

internal sealed class NotNode(CesqlNode operand) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Boolean;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var value = Operand(operand, CesqlType.Boolean, cloudEvent, ref state);
        return value.Failed ? value : CesqlValue.From(!value.Boolean);
    }
}

internal sealed class NegateNode(CesqlNode operand) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Integer;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var value = Operand(operand, CesqlType.Integer, cloudEvent, ref state);
        if (value.Failed)
        {
            return value;
        }

        // -(-2147483648) does not fit: like ABS, the largest integer and a MathError.
        return value.Integer == int.MinValue
            ? state.Fail(CesqlErrorKind.Math, "integer overflow", CesqlValue.From(int.MaxValue))
            : CesqlValue.From(-value.Integer);
    }
}
