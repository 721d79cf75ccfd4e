namespace Gateway.Filters.Cesql;

/// <summary>
/// A LIKE pattern (§8.5): <c>%</c> any run of characters, <c>_</c> exactly one, <c>\%</c> and <c>\_</c> the
/// characters themselves; everything else, a lone backslash too, matches itself, case-sensitively.
/// </summary>
internal sealed class LikePattern
{
    private readonly PatternPart[] _parts;

    public LikePattern(string pattern)
    {
        var parts = new List<PatternPart>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '%' or '_')
            {
                parts.Add(new PatternPart(PatternPartKind.Literal, pattern[++i]));
            }
            else
            {
                parts.Add(new PatternPart(c switch { '%' => PatternPartKind.AnyRun, '_' => PatternPartKind.AnyOne, _ => PatternPartKind.Literal }, c));
            }
        }

        _parts = [.. parts];
    }

    public bool Matches(string text) => Match(text.AsSpan(), 0);

    /// <summary>Backtracks only at <c>%</c>; patterns are short, filter inputs are attribute values.</summary>
    private bool Match(ReadOnlySpan<char> text, int part)
    {
        while (part < _parts.Length)
        {
            var p = _parts[part];
            if (p.Kind == PatternPartKind.AnyRun)
            {
                for (var skip = 0; skip <= text.Length; skip++)
                {
                    if (Match(text[skip..], part + 1))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (text.IsEmpty || (p.Kind == PatternPartKind.Literal && text[0] != p.Character))
            {
                return false;
            }

            text = text[1..];
            part++;
        }

        return text.IsEmpty;
    }

    private enum PatternPartKind
    {
        Literal,
        AnyOne,
        AnyRun,
    }

    private readonly record struct PatternPart(PatternPartKind Kind, char Character);
}
