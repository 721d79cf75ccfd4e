using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Delivery;
using Gateway.Filters;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Timers;

namespace Gateway.Subscriptions;

/// <summary>
/// Turns a create or update request into a realized <see cref="Subscription"/>, checking every rule of §6.6 and
/// reporting all errors at once.
/// </summary>
internal sealed class SubscriptionValidator(ProtocolRegistry protocols, FilterCompiler filterCompiler)
{
    private static readonly HashSet<string> KnownMembers = new(StringComparer.Ordinal)
    {
        "id", "source", "types", "config", "filters", "sink", "sinkcredential", "sinkCredential", "protocol",
        "protocolsettings", "delivery", "status",
    };

    /// <summary>
    /// Validates <paramref name="body"/>. <paramref name="keptCredential"/> is used when the body has no
    /// <c>sinkcredential</c> member (an update keeps the stored secret; an explicit null removes it).
    /// </summary>
    public ValidatedSubscription? Validate(
        JsonNode? body, string id, SinkCredential? keptCredential, List<ValidationError> errors)
    {
        if (body is not JsonObject json)
        {
            errors.Add(new("$", "the body must be a JSON object (a subscription, §6.2)"));
            return null;
        }

        foreach (var (name, _) in json)
        {
            if (!KnownMembers.Contains(name))
            {
                errors.Add(new(name, "not a member of a subscription (§6.2)"));
            }
        }

        var source = OptionalString(json, "source", errors);
        if (source is not null && (source.Length == 0 || !Uri.TryCreate(source, UriKind.RelativeOrAbsolute, out _)))
        {
            errors.Add(new("source", "must be a non-empty URI-reference (SUB-05)"));
        }

        var types = ReadTypes(json, errors);
        var config = ReadConfig(json, errors);
        var sink = RequiredString(json, "sink", errors);
        var protocol = RequiredString(json, "protocol", errors);
        var settings = ReadSettings(json, errors);
        var credential = json.ContainsKey("sinkcredential") || json.ContainsKey("sinkCredential")
            ? SinkCredentials.Read(json["sinkcredential"] ?? json["sinkCredential"], "sinkcredential", errors)
            : keptCredential;
        var delivery = DeliveryPolicy.Read(json["delivery"], errors);
        var filters = json["filters"] switch
        {
            null => null,
            JsonArray array => (JsonArray)array.DeepClone(),
            _ => AddError(errors, "filters", "must be an array of filter expressions"),
        };

        if (sink is null || protocol is null || settings is null || delivery is null)
        {
            return null;
        }

        var subscription = new Subscription
        {
            Id = id,
            Source = source,
            Types = types,
            Config = config,
            Filters = filters,
            Sink = sink,
            Protocol = protocol,
            ProtocolSettings = settings,
            Credential = credential,
            Delivery = delivery,
        };
        ValidateProtocol(subscription, errors);
        if (delivery.DeadLetter is { } deadLetter)
        {
            ValidateDeadLetter(id, deadLetter, errors);
        }

        var filter = CompileFilter(subscription, errors);
        return errors.Count == 0 && filter is not null ? new ValidatedSubscription(subscription, filter) : null;
    }

    /// <summary>Compiles source, types and filters into one evaluator (SUB-26 to SUB-28).</summary>
    public SubscriptionFilter? CompileFilter(Subscription subscription, List<ValidationError> errors)
    {
        IEventFilter? filters = null;
        if (subscription.Filters is { } array)
        {
            var filterErrors = new List<FilterError>();
            using var document = JsonDocument.Parse(array.ToJsonString());
            filters = filterCompiler.CompileFilters(document.RootElement, "filters", filterErrors);
            errors.AddRange(filterErrors.Select(e => new ValidationError(e.Path, e.Message)));
            if (filters is null)
            {
                return null;
            }
        }

        return new SubscriptionFilter(subscription.Source, subscription.Types, filters);
    }

    private void ValidateProtocol(Subscription subscription, List<ValidationError> errors)
    {
        if (protocols.Find(subscription.Protocol) is not { } binding)
        {
            errors.Add(new("protocol", $"unsupported protocol '{subscription.Protocol}'; this gateway delivers over {string.Join(", ", protocols.Names)} (names are case-sensitive, SUB-16)"));
            return;
        }

        binding.ValidateAndComplete(
            new SinkSpec(subscription.Id, subscription.Sink, subscription.ProtocolSettings, subscription.Credential),
            errors);
    }

    /// <summary>A dead-letter destination may use any protocol with a sender, checked by that protocol's binding.</summary>
    private void ValidateDeadLetter(string id, DeadLetterDestination deadLetter, List<ValidationError> errors)
    {
        if (protocols.Find(deadLetter.Protocol) is not { } binding)
        {
            errors.Add(new("delivery.deadletter.protocol", $"'{deadLetter.Protocol}' has no sender in this gateway"));
            return;
        }

        var own = new List<ValidationError>();
        binding.ValidateAndComplete(deadLetter.ToSinkSpec(id) with { Settings = deadLetter.Settings }, own);
        errors.AddRange(own.Select(e => e with { Field = "delivery.deadletter." + e.Field }));
    }

    private static JsonArray? AddError(List<ValidationError> errors, string field, string message)
    {
        errors.Add(new(field, message));
        return null;
    }

    private static string? RequiredString(JsonObject json, string name, List<ValidationError> errors)
    {
        var value = OptionalString(json, name, errors);
        if (value is null && !errors.Exists(e => e.Field == name))
        {
            errors.Add(new(name, "is required"));
        }
        else if (value is { Length: 0 })
        {
            errors.Add(new(name, "must not be empty"));
        }

        return value;
    }

    private static string? OptionalString(JsonObject json, string name, List<ValidationError> errors)
    {
        var node = json[name];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(new(name, "must be a string"));
            return null;
        }

        return node.GetValue<string>();
    }

    private static string[]? ReadTypes(JsonObject json, List<ValidationError> errors)
    {
        if (json["types"] is not { } node)
        {
            return null;
        }

        if (node is not JsonArray array || array.Count == 0)
        {
            // An empty array is not defined by the spec and would match nothing: rejected (§6.6 item 5).
            errors.Add(new("types", "must be a non-empty array of event types"));
            return null;
        }

        var types = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String
                && value.GetValue<string>() is { Length: > 0 } type)
            {
                types.Add(type);
            }
            else
            {
                errors.Add(new($"types[{i}]", "must be a non-empty string (SUB-07)"));
            }
        }

        return [.. types];
    }

    private static JsonObject? ReadConfig(JsonObject json, List<ValidationError> errors)
    {
        if (json["config"] is not { } node)
        {
            return null;
        }

        if (node is not JsonObject config)
        {
            errors.Add(new("config", "must be an object"));
            return null;
        }

        // SUB-09/SUB-10: the keys are the timer's, the ones Discovery advertises in subscriptionconfig.
        TimerConfig.Read(config, errors);
        return (JsonObject)config.DeepClone();
    }

    private static JsonObject? ReadSettings(JsonObject json, List<ValidationError> errors)
    {
        switch (json["protocolsettings"])
        {
            case null:
                return [];
            case JsonObject settings:
                return (JsonObject)settings.DeepClone();
            default:
                errors.Add(new("protocolsettings", "must be an object"));
                return null;
        }
    }
}

/// <summary>A subscription that passed validation, with its compiled filter.</summary>
internal sealed record ValidatedSubscription(Subscription Subscription, SubscriptionFilter Filter);
