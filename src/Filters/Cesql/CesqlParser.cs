using System.Globalization;
namespace Gateway.Filters.Cesql;

/// <summary>
/// A recursive-descent parser for CESQL 1.0 (§8.2), compiling straight into evaluator nodes. Precedence, loosest
/// first: AND/OR/XOR (one level, left to right as the spec text says, G16), comparisons, + -, * / %, IN, LIKE,
/// unary NOT and -, then function calls, EXISTS, literals, attributes and parentheses (§8.6).
/// </summary>
internal sealed class CesqlParser
{
    private readonly List<Token> _tokens;
    private int _next;

    private CesqlParser(string expression)
    {
        _tokens = CesqlLexer.Tokenize(expression);
    }

    private Token Current => _tokens[_next];

    public static CesqlNode Parse(string expression)
    {
        var parser = new CesqlParser(expression);
        var node = parser.Logic();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Error($"unexpected '{parser.Current.Text}'");
        }

        return node;
    }

    private CesqlNode Logic()
    {
        var left = Comparison();
        while (Current.Is("AND") || Current.Is("OR") || Current.Is("XOR"))
        {
            var op = Take().Text.ToUpperInvariant();
            left = new LogicNode(op, left, Comparison());
        }

        return left;
    }

    private CesqlNode Comparison()
    {
        var left = Additive();
        while (true)
        {
            switch (Current.Kind)
            {
                case TokenKind.Equal:
                    Take();
                    left = new EqualityNode(false, left, Additive());
                    break;
                case TokenKind.NotEqual:
                    Take();
                    left = new EqualityNode(true, left, Additive());
                    break;
                case TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater or TokenKind.GreaterOrEqual:
                    var op = Take().Kind;
                    left = new CompareNode(op, left, Additive());
                    break;
                default:
                    return left;
            }
        }
    }

    private CesqlNode Additive()
    {
        var left = Multiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Take().Kind;
            left = new ArithmeticNode(op, left, Multiplicative());
        }

        return left;
    }

    private CesqlNode Multiplicative()
    {
        var left = In();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Take().Kind;
            left = new ArithmeticNode(op, left, In());
        }

        return left;
    }

    private CesqlNode In()
    {
        var left = Like();
        while (Current.Is("IN") || (Current.Is("NOT") && Peek(1).Is("IN")))
        {
            var negate = Take().Is("NOT");
            if (negate)
            {
                Take();
            }

            Expect(TokenKind.LeftParen, "'(' to open the set of IN");
            var elements = new List<CesqlNode> { Logic() };
            while (Current.Kind == TokenKind.Comma)
            {
                Take();
                elements.Add(Logic());
            }

            Expect(TokenKind.RightParen, "')' to close the set of IN");
            left = new InNode(negate, left, [.. elements]);
        }

        return left;
    }

    private CesqlNode Like()
    {
        var left = Unary();
        while (Current.Is("LIKE") || (Current.Is("NOT") && Peek(1).Is("LIKE")))
        {
            var negate = Take().Is("NOT");
            if (negate)
            {
                Take();
            }

            // The pattern MUST be a string literal: x LIKE 123 is a parse error (§8.5).
            if (Current.Kind != TokenKind.String)
            {
                throw Error("LIKE needs a string literal pattern");
            }

            left = new LikeNode(negate, left, new LikePattern(Take().Text));
        }

        return left;
    }

    private CesqlNode Unary()
    {
        if (Current.Is("NOT"))
        {
            Take();
            return new NotNode(Unary());
        }

        if (Current.Kind != TokenKind.Minus)
        {
            return Primary();
        }

        Take();
        if (Current.Kind == TokenKind.Integer)
        {
            // A negative literal, so that -2147483648 is a valid integer (SQL-05).
            return new LiteralNode(CesqlValue.From(Integer(Take(), negative: true)));
        }

        return new NegateNode(Unary());
    }

    private CesqlNode Primary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.LeftParen:
                Take();
                var inner = Logic();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.Integer:
                return new LiteralNode(CesqlValue.From(Integer(Take(), negative: false)));
            case TokenKind.String:
                return new LiteralNode(CesqlValue.From(Take().Text));
            case TokenKind.Plus when Peek(1).Kind == TokenKind.Integer:
                Take();
                return new LiteralNode(CesqlValue.From(Integer(Take(), negative: false)));
            case TokenKind.Word when token.Is("TRUE") || token.Is("FALSE"):
                return new LiteralNode(CesqlValue.From(Take().Is("TRUE")));
            case TokenKind.Word when token.Is("EXISTS"):
                Take();
                return new ExistsNode(Identifier(Take()));
            case TokenKind.Word when Peek(1).Kind == TokenKind.LeftParen:
                return Call();
            case TokenKind.Word when !IsKeyword(token):
                return new AttributeNode(Identifier(Take()));
            default:
                throw Error(token.Kind == TokenKind.End ? "the expression ends too early" : $"unexpected '{token.Text}'");
        }
    }

    private FunctionNode Call()
    {
        var name = Take();
        if (!IsFunctionName(name.Text))
        {
            throw Error($"'{name.Text}' is not a function name", name);
        }

        Take();
        var arguments = new List<CesqlNode>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(Logic());
            while (Current.Kind == TokenKind.Comma)
            {
                Take();
                arguments.Add(Logic());
            }
        }

        Expect(TokenKind.RightParen, "')' to close the argument list");

        // SQL-12/SQL-18: a call no function answers is known before any event arrives.
        var function = CesqlFunctions.Find(name.Text, arguments.Count)
            ?? throw new CesqlCompileException(CesqlErrorKind.MissingFunction, name.Position,
                $"there is no function {CesqlFunctions.Describe(name.Text, arguments.Count)}");
        return new FunctionNode(function, [.. arguments]);
    }

    /// <summary>SQL-04: attribute names, looked up lower-cased (the TCK's <c>EXISTS SOURCE</c>, G20).</summary>
    private string Identifier(Token token)
    {
        if (token.Kind is not (TokenKind.Word or TokenKind.Integer) || !token.Text.All(char.IsAsciiLetterOrDigit))
        {
            throw Error("an attribute name is letters and digits", token);
        }

        return token.Text.ToLowerInvariant();
    }

    private int Integer(Token token, bool negative)
    {
        // SQL-05: 32-bit literals; anything larger is a parse error.
        var text = negative ? "-" + token.Text : token.Text;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"{text} is not a 32-bit integer", token);
    }

    private static bool IsKeyword(Token token) =>
        token.Is("AND") || token.Is("OR") || token.Is("XOR") || token.Is("NOT") || token.Is("LIKE") || token.Is("IN")
        || token.Is("EXISTS") || token.Is("TRUE") || token.Is("FALSE");

    private static bool IsFunctionName(string name) =>
        char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetter(c) || c == '_');

    private Token Take() => _tokens[_next++];

    private Token Peek(int ahead) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

    private void Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Error($"expected {what}");
        }

        Take();
    }

    private CesqlCompileException Error(string message, Token? at = null) =>
        new(CesqlErrorKind.Parse, (at ?? Current).Position, message);
}
