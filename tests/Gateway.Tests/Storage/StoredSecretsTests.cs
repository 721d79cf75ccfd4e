using Gateway.Storage.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Tests.Storage;

/// <summary>Credentials sealed at rest, every place a stored document carries one.</summary>
public sealed class StoredSecretsTests
{
    private readonly StoredSecrets _secrets = new(new EphemeralDataProtectionProvider());

    [Theory]
    [InlineData("""{"id":"s","sinkcredential":{"credentialtype":"PLAIN","identifier":"u","secret":"PLANTED"}}""")]
    [InlineData("""{"id":"s","sinkcredential":{"credentialtype":"REFRESHTOKEN","accesstoken":"PLANTED","refreshtoken":"PLANTED","accesstokenexpiresutc":"2030-01-01T00:00:00Z"}}""")]
    [InlineData("""{"id":"s","delivery":{"deadletter":{"protocol":"HTTP","sink":"https://x/","sinkcredential":{"credentialtype":"ACCESSTOKEN","accesstoken":"PLANTED"}}}}""")]
    [InlineData("""{"id":"src","protocol":"MQTT5","credential":{"credentialtype":"PLAIN","identifier":"u","secret":"PLANTED"}}""")]
    public void Seal_HidesEverySecret_AndOpenGivesTheDocumentBack(string document)
    {
        var sealedDocument = _secrets.Seal(document);

        Assert.DoesNotContain("PLANTED", sealedDocument, StringComparison.Ordinal);
        Assert.Contains("dp1:", sealedDocument, StringComparison.Ordinal);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(document), System.Text.Json.Nodes.JsonNode.Parse(_secrets.Open(sealedDocument))));
    }

    [Fact]
    public void Open_ReadsDocumentsFromBeforeEncryption_AsTheyAre()
    {
        const string Plain = """{"id":"s","sinkcredential":{"credentialtype":"PLAIN","identifier":"u","secret":"old"}}""";

        Assert.Contains("\"secret\":\"old\"", _secrets.Open(Plain), StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_LeavesTheIdentifierAndEveryOtherMemberReadable()
    {
        var sealedDocument = _secrets.Seal("""{"id":"s","sink":"https://x/","sinkcredential":{"credentialtype":"PLAIN","identifier":"user-1","secret":"p"}}""");

        Assert.Contains("user-1", sealedDocument, StringComparison.Ordinal);
        Assert.Contains("https://x/", sealedDocument, StringComparison.Ordinal);
    }
}
