using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Tests;

/// <summary>Compares events the way a binding carries them: every attribute as its canonical string, and the data bytes.</summary>
internal static class SameEvent
{
    public static void Assert(CloudEvent expected, CloudEvent? actual)
    {
        Xunit.Assert.NotNull(actual);
        Xunit.Assert.Equal(expected.AttributesExceptDataContentType(), actual.AttributesExceptDataContentType());
        Xunit.Assert.Equal(expected.DataContentType, actual.DataContentType);
        Xunit.Assert.Equal(expected.Data.IsPresent, actual.Data.IsPresent);
        Xunit.Assert.Equal(expected.Data.Bytes.ToArray(), actual.Data.Bytes.ToArray());
    }
}
