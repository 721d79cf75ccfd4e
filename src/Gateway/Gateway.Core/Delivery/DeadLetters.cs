using System.Globalization;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;

namespace Gateway.Delivery;

/// <summary>The extension attributes this gateway adds to events (design.md, "Extensions this product adds").</summary>
internal static class DeadLetters
{
    /// <summary>The loop guard of reply chaining.</summary>
    public const string HopsAttribute = "gatewayhops";

    /// <summary>The event as it is dead-lettered: unchanged, plus <c>deadletter*</c> attributes.</summary>
    public static CloudEvent ToEvent(DeadLetter letter)
    {
        var cloudEvent = letter.Event
            .WithExtension("deadletterreason", CloudEventValue.FromString(letter.Reason))
            .WithExtension("deadletterattempts", CloudEventValue.FromInteger(letter.Attempts))
            .WithExtension("deadlettertime", CloudEventValue.FromString(letter.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));
        if (letter.Code is { } code)
        {
            cloudEvent = cloudEvent.WithExtension("deadlettercode", CloudEventValue.FromInteger(code));
        }

        return letter.Error is { } error
            ? cloudEvent.WithExtension("deadlettererror", CloudEventValue.FromString(error))
            : cloudEvent;
    }
}
