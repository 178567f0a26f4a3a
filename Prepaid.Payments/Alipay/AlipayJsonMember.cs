namespace Prepaid.Payments.Alipay;

/// <summary>
/// Cuts one top-level member's object out of a raw JSON text, byte for byte. Alipay signs the
/// text of <c>&lt;method&gt;_response</c> as it sent it, so re-serialising a parsed copy (other
/// spacing, other escapes, other number forms) would break an honest signature.
/// </summary>
public static class AlipayJsonMember
{
    public static bool TryExtractObject(string json, string memberName, out string objectText)
    {
        objectText = "";
        var depth = 0;
        var i = 0;
        while (i < json.Length)
        {
            var c = json[i];
            if (c == '"')
            {
                var end = SkipString(json, i);
                if (end < 0)
                {
                    return false;
                }
                // Only keys directly under the root count: a nested member or a string value that
                // happens to read "alipay_trade_query_response" must not be picked.
                if (depth == 1 && IsKeyNamed(json, i, end, memberName, out var valueStart) && json[valueStart] == '{')
                {
                    var close = MatchingBrace(json, valueStart);
                    if (close < 0)
                    {
                        return false;
                    }
                    objectText = json[valueStart..(close + 1)];
                    return true;
                }
                i = end;
                continue;
            }
            if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']')
            {
                depth--;
            }
            i++;
        }
        return false;
    }

    // True when the string at [start, end) is a key equal to name; valueStart is the first
    // non-blank character after its colon.
    private static bool IsKeyNamed(string json, int start, int end, string name, out int valueStart)
    {
        valueStart = SkipBlanks(json, end);
        if (valueStart >= json.Length || json[valueStart] != ':')
        {
            return false;
        }
        valueStart = SkipBlanks(json, valueStart + 1);
        return valueStart < json.Length
            && json.AsSpan(start + 1, end - start - 2).SequenceEqual(name);
    }

    // Index of the '}' closing the '{' at open, or -1; braces inside strings do not count.
    private static int MatchingBrace(string json, int open)
    {
        var depth = 0;
        var i = open;
        while (i < json.Length)
        {
            switch (json[i])
            {
                case '"':
                    i = SkipString(json, i);
                    if (i < 0)
                    {
                        return -1;
                    }
                    continue;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }
                    break;
            }
            i++;
        }
        return -1;
    }

    // Index just past the closing quote of the string opening at quote, or -1 if unterminated.
    // A backslash always escapes the next character, so \" and \\ are both handled.
    private static int SkipString(string json, int quote)
    {
        var i = quote + 1;
        while (i < json.Length)
        {
            if (json[i] == '\\')
            {
                i += 2;
                continue;
            }
            if (json[i] == '"')
            {
                return i + 1;
            }
            i++;
        }
        return -1;
    }

    private static int SkipBlanks(string json, int i)
    {
        while (i < json.Length && json[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }
        return i;
    }
}
