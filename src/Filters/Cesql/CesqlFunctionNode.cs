using System.Runtime.CompilerServices;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Cesql;

/// <summary>A call of a built-in function; arguments are cast to the parameter types (SQL-21 rules 1 and 3).</summary>
internal sealed class FunctionNode(CesqlFunction function, CesqlNode[] arguments) : CesqlNode
{
    public override CesqlType? Type => function.Result;

    public override CesqlValue Evaluate(CloudEvent cloudEvent, ref CesqlState state)
    {
        var inline = default(Arguments);
        Span<CesqlValue> args = inline;
        if (arguments.Length > Arguments.Length)
        {
            args = new CesqlValue[arguments.Length];
        }

        args = args[..arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            var value = arguments[i].Evaluate(cloudEvent, ref state);
            var type = i < function.Parameters.Length ? function.Parameters[i] : function.Variadic;
            args[i] = type is { } target ? CesqlCasts.To(target, value, ref state) : value;
            if (args[i].Failed)
            {
                return CesqlValue.Zero(function.Result);
            }
        }

        return function.Body(args, ref state);
    }

    /// <summary>Room for the arguments of every fixed-arity built-in, without allocating.</summary>
    [InlineArray(Length)]
    private struct Arguments
    {
        public const int Length = 4;

        private CesqlValue _first;
    }
}
