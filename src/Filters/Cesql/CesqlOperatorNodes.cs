using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Cesql;

/// <summary><c>* / % + -</c> on integers (§8.5). Overflow and division by zero: 0 and a MathError.</summary>
internal sealed class ArithmeticNode(TokenKind op, CesqlNode left, CesqlNode right) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Integer;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var x = Operand(left, CesqlType.Integer, cloudEvent, ref state);
        var y = Operand(right, CesqlType.Integer, cloudEvent, ref state);
        if (x.Failed || y.Failed)
        {
            return CesqlValue.Zero(CesqlType.Integer);
        }

        if (op is TokenKind.Slash or TokenKind.Percent && y.Integer == 0)
        {
            return state.Fail(CesqlErrorKind.Math, "division by zero", CesqlType.Integer);
        }

        long result = op switch
        {
            TokenKind.Plus => (long)x.Integer + y.Integer,
            TokenKind.Minus => (long)x.Integer - y.Integer,
            TokenKind.Star => (long)x.Integer * y.Integer,
            TokenKind.Slash => (long)x.Integer / y.Integer,
            _ => (long)x.Integer % y.Integer,
        };
        return result is < int.MinValue or > int.MaxValue
            ? state.Fail(CesqlErrorKind.Math, "integer overflow", CesqlType.Integer)
            : CesqlValue.From((int)result);
    }
}

/// <summary><c>&lt; &lt;= &gt; &gt;=</c>: integers only (§8.5).</summary>
internal sealed class CompareNode(TokenKind op, CesqlNode left, CesqlNode right) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Boolean;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var x = Operand(left, CesqlType.Integer, cloudEvent, ref state);
        var y = Operand(right, CesqlType.Integer, cloudEvent, ref state);
        if (x.Failed || y.Failed)
        {
            return CesqlValue.Zero(CesqlType.Boolean);
        }

        return CesqlValue.From(op switch
        {
            TokenKind.Less => x.Integer < y.Integer,
            TokenKind.LessOrEqual => x.Integer <= y.Integer,
            TokenKind.Greater => x.Integer > y.Integer,
            _ => x.Integer >= y.Integer,
        });
    }
}

/// <summary>
/// <c>= != &lt;&gt;</c>: the overload is the one whose right parameter has the right operand's type, and the left
/// operand is cast to it (SQL-21 rule 2), so <c>'TRUE' = true</c> is true and <c>true = 'TRUE'</c> is false.
/// </summary>
internal sealed class EqualityNode(bool negate, CesqlNode left, CesqlNode right) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Boolean;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var x = left.Evaluate(cloudEvent, ref state);
        var y = right.Evaluate(cloudEvent, ref state);
        if (x.Failed || y.Failed)
        {
            return CesqlValue.Zero(CesqlType.Boolean);
        }

        x = CesqlCasts.To(y.Type, x, ref state);
        return x.Failed ? CesqlValue.Zero(CesqlType.Boolean) : CesqlValue.From(Equal(x, y) != negate);
    }

    internal static bool Equal(CesqlValue x, CesqlValue y) => x.Type switch
    {
        CesqlType.String => string.Equals(x.String, y.String, StringComparison.Ordinal),
        CesqlType.Integer => x.Integer == y.Integer,
        _ => x.Boolean == y.Boolean,
    };
}

/// <summary><c>AND OR XOR</c>; AND and OR short-circuit (SQL-14).</summary>
internal sealed class LogicNode(string op, CesqlNode left, CesqlNode right) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Boolean;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var x = Operand(left, CesqlType.Boolean, cloudEvent, ref state);
        if (x.Failed)
        {
            return x;
        }

        if ((op == "AND" && !x.Boolean) || (op == "OR" && x.Boolean))
        {
            return x;
        }

        var y = Operand(right, CesqlType.Boolean, cloudEvent, ref state);
        if (y.Failed)
        {
            return y;
        }

        return CesqlValue.From(op == "XOR" ? x.Boolean != y.Boolean : y.Boolean);
    }
}

/// <summary><c>x [NOT] IN (…)</c>: the elements are cast to the type of <c>x</c> (SQL-21 rule 5).</summary>
internal sealed class InNode(bool negate, CesqlNode operand, CesqlNode[] elements) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Boolean;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var x = operand.Evaluate(cloudEvent, ref state);
        if (x.Failed)
        {
            return CesqlValue.Zero(CesqlType.Boolean);
        }

        foreach (var element in elements)
        {
            var y = Operand(element, x.Type, cloudEvent, ref state);
            if (y.Failed)
            {
                return CesqlValue.Zero(CesqlType.Boolean);
            }

            if (EqualityNode.Equal(x, y))
            {
                return CesqlValue.From(!negate);
            }
        }

        return CesqlValue.From(negate);
    }
}

/// <summary><c>x [NOT] LIKE 'pattern'</c>, the left operand cast to String.</summary>
internal sealed class LikeNode(bool negate, CesqlNode operand, LikePattern pattern) : CesqlNode
{
    public override CesqlType? Type => CesqlType.Boolean;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var x = Operand(operand, CesqlType.String, cloudEvent, ref state);
        return x.Failed ? CesqlValue.Zero(CesqlType.Boolean) : CesqlValue.From(pattern.Matches(x.String) != negate);
    }
}
