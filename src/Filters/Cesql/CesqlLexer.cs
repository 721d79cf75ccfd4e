using System.Text;

namespace Gateway.Filters.Cesql;

/// <summary>The kinds of CESQL tokens.</summary>
internal enum TokenKind
{
    End,
    Word,
    Integer,
    String,
    LeftParen,
    RightParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>A token and where it starts. Words are identifiers, function names and keywords alike.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    /// <summary>True for a keyword; keywords are case-insensitive (SQL-02).</summary>
    public bool Is(string keyword) => Kind == TokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits a CESQL expression into tokens (§8.2).</summary>
internal static class CesqlLexer
{
    public static List<Token> Tokenize(string expression)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] == '_'))
                {
                    i++;
                }

                var text = expression[start..i];
                tokens.Add(new Token(text.All(char.IsAsciiDigit) ? TokenKind.Integer : TokenKind.Word, text, start));
                continue;
            }

            if (c is '\'' or '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadString(expression, ref i), start));
                continue;
            }

            var (kind, length) = Operator(expression, i);
            tokens.Add(new Token(kind, expression.Substring(i, length), start));
            i += length;
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, expression.Length));
        return tokens;
    }

    /// <summary>
    /// A quoted string: the quote is escaped by a backslash (<c>'a\'b'</c>) or doubled (the ANTLR lexer's
    /// <c>''</c>); every other backslash stays as written, as LIKE patterns need (<c>'a\%b'</c>).
    /// </summary>
    private static string ReadString(string expression, ref int i)
    {
        var quote = expression[i];
        var start = i++;
        var value = new StringBuilder();
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c == '\\' && i + 1 < expression.Length && expression[i + 1] == quote)
            {
                value.Append(quote);
                i += 2;
            }
            else if (c == quote && i + 1 < expression.Length && expression[i + 1] == quote)
            {
                value.Append(quote);
                i += 2;
            }
            else if (c == quote)
            {
                i++;
                return value.ToString();
            }
            else
            {
                value.Append(c);
                i++;
            }
        }

        throw new CesqlCompileException(CesqlErrorKind.Parse, start, "the string literal is not closed");
    }

    private static (TokenKind Kind, int Length) Operator(string expression, int i)
    {
        var next = i + 1 < expression.Length ? expression[i + 1] : '\0';
        return expression[i] switch
        {
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            ',' => (TokenKind.Comma, 1),
            '+' => (TokenKind.Plus, 1),
            '-' => (TokenKind.Minus, 1),
            '*' => (TokenKind.Star, 1),
            '/' => (TokenKind.Slash, 1),
            '%' => (TokenKind.Percent, 1),
            '=' => (TokenKind.Equal, 1),
            '!' when next == '=' => (TokenKind.NotEqual, 2),
            '<' when next == '>' => (TokenKind.NotEqual, 2),
            '<' when next == '=' => (TokenKind.LessOrEqual, 2),
            '<' => (TokenKind.Less, 1),
            '>' when next == '=' => (TokenKind.GreaterOrEqual, 2),
            '>' => (TokenKind.Greater, 1),
            var other => throw new CesqlCompileException(CesqlErrorKind.Parse, i, $"unexpected character '{other}'"),
        };
    }
}
