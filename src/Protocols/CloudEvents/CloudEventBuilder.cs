namespace Gateway.Protocols.CloudEvents;

/// <summary>
/// Collects the attributes and data of one event from any format or binding, checks every rule of §2 as it goes, and
/// builds the <see cref="CloudEvent"/> only when all of them held. Errors name the field as the input spelled it.
/// </summary>
public sealed class CloudEventBuilder
{
    private readonly List<CloudEventError> _errors;
    private readonly string _fieldPrefix;
    private readonly List<KeyValuePair<string, CloudEventValue>> _extensions = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private string? _id;
    private string? _source;
    private string? _specVersion;
    private string? _type;
    private string? _dataContentType;
    private string? _dataSchema;
    private string? _subject;
    private string? _time;
    private CloudEventData _data;
    private int _ownErrors;

    /// <summary>Creates a builder that reports into <paramref name="errors"/>, naming fields with a prefix
    /// (<c>ce-</c> for HTTP headers, <c>[3].</c> for the fourth event of a batch).</summary>
    public CloudEventBuilder(List<CloudEventError> errors, string fieldPrefix = "")
    {
        _errors = errors;
        _fieldPrefix = fieldPrefix;
    }

    /// <summary>A builder with its own error list; <see cref="Build"/> throws when any rule was broken.</summary>
    public CloudEventBuilder()
        : this([])
    {
    }

    /// <summary>The declared <c>datacontenttype</c> so far, or null.</summary>
    public string? DataContentType => _dataContentType;

    /// <summary>Records an error against a field of this event (the prefix is added).</summary>
    public void AddError(string field, string message)
    {
        _errors.Add(new(_fieldPrefix + field, message));
        _ownErrors++;
    }

    /// <summary>Sets an attribute. <c>null</c> means unset (JSON-04). Checks name, type and value rules.</summary>
    public CloudEventBuilder Set(string name, CloudEventValue? value)
    {
        if (!_seen.Add(name))
        {
            AddError(name, "the attribute appears more than once (CE-01)");
            return this;
        }

        if (value is not { } v)
        {
            return this;
        }

        if (!CloudEventAttributes.IsValidName(name))
        {
            AddError(name, "attribute names are lower-case letters and digits, and not 'data' (CE-02)");
            return this;
        }

        if (v.Type == CloudEventValueType.String && !IsAllowedString(v.Text))
        {
            AddError(name, "the value holds a control character, a noncharacter or an unpaired surrogate (§2.2)");
            return this;
        }

        if (!CloudEventAttributes.IsCore(name))
        {
            _extensions.Add(new(name, v));
            return this;
        }

        if (v.Type != CloudEventValueType.String)
        {
            AddError(name, "must be a string");
            return this;
        }

        SetCore(name, v.Text);
        return this;
    }

    /// <summary>Sets a String attribute.</summary>
    public CloudEventBuilder Set(string name, string? value) =>
        Set(name, value is null ? null : CloudEventValue.FromString(value));

    /// <summary>Sets the data.</summary>
    public CloudEventBuilder SetData(CloudEventData data)
    {
        _data = data;
        return this;
    }

    /// <summary>
    /// Builds the event when every rule held and every required attribute (CE-01) is present; otherwise adds the
    /// remaining errors and returns null. The parameterless builder throws instead.
    /// </summary>
    public CloudEvent? TryBuild()
    {
        RequireNonEmpty(CloudEventAttributes.SpecVersion, _specVersion);
        RequireNonEmpty(CloudEventAttributes.Id, _id);
        RequireNonEmpty(CloudEventAttributes.Source, _source);
        RequireNonEmpty(CloudEventAttributes.Type, _type);
        if (_ownErrors > 0)
        {
            return null;
        }

        return new CloudEvent(
            _id!,
            _source!,
            _type!,
            new CloudEventOptionalAttributes(_dataContentType, _dataSchema, _subject, _time),
            [.. _extensions],
            _data);
    }

    /// <summary>Builds the event or throws <see cref="CloudEventFormatException"/> with every error found.</summary>
    public CloudEvent Build() => TryBuild() ?? throw new CloudEventFormatException([.. _errors]);

    private void SetCore(string name, string text)
    {
        switch (name)
        {
            case CloudEventAttributes.SpecVersion:
                if (text != CloudEventAttributes.SupportedSpecVersion)
                {
                    AddError(name, $"specversion '{text}' is not supported; this gateway speaks CloudEvents 1.0");
                }

                _specVersion = text;
                break;
            case CloudEventAttributes.Id:
                _id = text;
                break;
            case CloudEventAttributes.Source:
                if (text.Length > 0 && !Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out _))
                {
                    AddError(name, "must be a URI-reference (RFC 3986)");
                }

                _source = text;
                break;
            case CloudEventAttributes.Type:
                _type = text;
                break;
            case CloudEventAttributes.DataContentType:
                if (!MediaTypes.IsValid(text))
                {
                    AddError(name, "must be an RFC 2046 media type such as 'application/json'");
                }

                _dataContentType = text;
                break;
            case CloudEventAttributes.DataSchema:
                if (!UriRules.IsAbsolute(text))
                {
                    AddError(name, "must be a non-empty absolute URI");
                }

                _dataSchema = text;
                break;
            case CloudEventAttributes.Subject:
                if (text.Length == 0)
                {
                    AddError(name, "must not be empty");
                }

                _subject = text;
                break;
            default:
                if (!Rfc3339.IsValid(text))
                {
                    AddError(name, "must be an RFC 3339 timestamp such as '2018-04-05T17:31:00Z'");
                }

                _time = text;
                break;
        }
    }

    private void RequireNonEmpty(string name, string? value)
    {
        if (string.IsNullOrEmpty(value) && !_errors.Exists(e => e.Field == _fieldPrefix + name))
        {
            AddError(name, value is null ? "the required attribute is missing (CE-01)" : "must not be empty");
        }
    }

    /// <summary>§2.2 String: no controls U+0000–U+001F and U+007F–U+009F, no noncharacters, no lone surrogates.</summary>
    private static bool IsAllowedString(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // Supplementary noncharacters end in FFFE or FFFF in every plane.
                if ((char.ConvertToUtf32(c, text[++i]) & 0xFFFE) == 0xFFFE)
                {
                    return false;
                }
            }
            else if (char.IsSurrogate(c) || c <= '\u001F' || (c >= '\u007F' && c <= '\u009F')
                || (c >= '\uFDD0' && c <= '\uFDEF') || c >= '\uFFFE')
            {
                return false;
            }
        }

        return true;
    }
}
