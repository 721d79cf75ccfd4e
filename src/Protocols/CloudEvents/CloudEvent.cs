namespace Gateway.Protocols.CloudEvents;

/// <summary>
/// A CloudEvent of specversion 1.0: its context attributes, kept exactly as received (CE-05, §2.2: the
/// canonical strings of <c>time</c> and <c>source</c> are never re-formatted), and its data.
/// </summary>
/// <remarks>
/// <para>Instances are immutable and valid: the format readers and <see cref="CloudEventBuilder"/> construct them only
/// after every rule of §2 passed.</para>
/// </remarks>
public sealed class CloudEvent
{
    internal CloudEvent(
        string id,
        string source,
        string type,
        CloudEventOptionalAttributes optional,
        KeyValuePair<string, CloudEventValue>[] extensions,
        CloudEventData data)
    {
        Id = id;
        Source = source;
        Type = type;
        DataContentType = optional.DataContentType;
        DataSchema = optional.DataSchema;
        Subject = optional.Subject;
        Time = optional.Time;
        _extensions = extensions;
        Data = data;
    }

    private readonly KeyValuePair<string, CloudEventValue>[] _extensions;

    /// <summary>The <c>id</c> attribute. Never empty.</summary>
    public string Id { get; }

    /// <summary>The <c>source</c> attribute, a URI-reference as received. Never empty.</summary>
    public string Source { get; }

    /// <summary>The <c>specversion</c> attribute: always <c>1.0</c>.</summary>
#pragma warning disable CA1822 // An instance member on purpose: it is an attribute of this event.
    public string SpecVersion => CloudEventAttributes.SupportedSpecVersion;
#pragma warning restore CA1822

    /// <summary>The <c>type</c> attribute. Never empty.</summary>
    public string Type { get; }

    /// <summary>The <c>datacontenttype</c> attribute (RFC 2046), or null.</summary>
    public string? DataContentType { get; }

    /// <summary>The <c>dataschema</c> attribute (absolute URI), or null.</summary>
    public string? DataSchema { get; }

    /// <summary>The <c>subject</c> attribute, or null.</summary>
    public string? Subject { get; }

    /// <summary>The <c>time</c> attribute (RFC 3339) as received, or null.</summary>
    public string? Time { get; }

    /// <summary>Extension attributes in the order they arrived, with the types their format gave them.</summary>
    public IReadOnlyList<KeyValuePair<string, CloudEventValue>> Extensions => _extensions;

    /// <summary>The event's data, if any.</summary>
    public CloudEventData Data { get; }

    /// <summary>Looks up any context attribute (core or extension) by name.</summary>
    public bool TryGetAttribute(string name, out CloudEventValue value)
    {
        string? text = name switch
        {
            CloudEventAttributes.Id => Id,
            CloudEventAttributes.Source => Source,
            CloudEventAttributes.Type => Type,
            CloudEventAttributes.SpecVersion => SpecVersion,
            CloudEventAttributes.DataContentType => DataContentType,
            CloudEventAttributes.DataSchema => DataSchema,
            CloudEventAttributes.Subject => Subject,
            CloudEventAttributes.Time => Time,
            _ => null,
        };
        if (text is not null)
        {
            value = CloudEventValue.FromString(text);
            return true;
        }

        foreach (var extension in _extensions)
        {
            if (string.Equals(extension.Key, name, StringComparison.Ordinal))
            {
                value = extension.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Every attribute but <c>datacontenttype</c> as its canonical string, core attributes first: what the binary
    /// modes of the bindings carry as headers or properties, each binding naming and encoding them its own way
    /// (HTTP-08, KAFKA-05, MQTT-04). <c>datacontenttype</c> travels in the protocol's content type instead.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> AttributesExceptDataContentType()
    {
        yield return new(CloudEventAttributes.SpecVersion, SpecVersion);
        yield return new(CloudEventAttributes.Id, Id);
        yield return new(CloudEventAttributes.Source, Source);
        yield return new(CloudEventAttributes.Type, Type);
        if (DataSchema is not null)
        {
            yield return new(CloudEventAttributes.DataSchema, DataSchema);
        }

        if (Subject is not null)
        {
            yield return new(CloudEventAttributes.Subject, Subject);
        }

        if (Time is not null)
        {
            yield return new(CloudEventAttributes.Time, Time);
        }

        foreach (var (name, value) in _extensions)
        {
            yield return new(name, value.Text);
        }
    }

    /// <summary>
    /// Returns a copy with the extension set (replaced where present, else appended). Intermediaries add their own
    /// extensions this way (dead-letter reasons, hop counts) and leave every other attribute as it was.
    /// </summary>
    public CloudEvent WithExtension(string name, CloudEventValue value)
    {
        if (!CloudEventAttributes.IsValidName(name) || CloudEventAttributes.IsCore(name))
        {
            throw new ArgumentException($"'{name}' is not a valid extension attribute name.", nameof(name));
        }

        var index = Array.FindIndex(_extensions, e => string.Equals(e.Key, name, StringComparison.Ordinal));
        KeyValuePair<string, CloudEventValue>[] extensions;
        if (index >= 0)
        {
            extensions = (KeyValuePair<string, CloudEventValue>[])_extensions.Clone();
            extensions[index] = new(name, value);
        }
        else
        {
            extensions = [.. _extensions, new(name, value)];
        }

        return new CloudEvent(Id, Source, Type, Optional, extensions, Data);
    }

    /// <summary>
    /// Returns a copy without the extension (this event itself when it has none of that name). The gateway removes
    /// its internal routing attributes this way before an event leaves it.
    /// </summary>
    public CloudEvent WithoutExtension(string name)
    {
        var index = Array.FindIndex(_extensions, e => string.Equals(e.Key, name, StringComparison.Ordinal));
        return index < 0
            ? this
            : new CloudEvent(Id, Source, Type, Optional, [.. _extensions[..index], .. _extensions[(index + 1)..]], Data);
    }

    internal CloudEventOptionalAttributes Optional => new(DataContentType, DataSchema, Subject, Time);
}

/// <summary>The optional core attributes, grouped so that constructors stay short.</summary>
internal readonly record struct CloudEventOptionalAttributes(
    string? DataContentType,
    string? DataSchema,
    string? Subject,
    string? Time);
