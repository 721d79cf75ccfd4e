using System.Security.Cryptography;
using Gateway.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Security;

/// <summary>
/// Bearer tokens (<c>Gateway:Auth:Jwt:*</c>): the issuer and audience a token must name, and the keys that sign it,
/// either listed (<c>SigningKeys:{n}</c>: a PEM public key, or a base64 HMAC key of 32 bytes or more) or found through
/// an OIDC <c>Authority</c>'s discovery document.
/// </summary>
internal sealed record JwtSettings(
    string? Authority, string Issuer, string Audience, IReadOnlyList<SecurityKey> SigningKeys, string TenantClaim)
{
    public static JwtSettings? Read(IConfigurationSection jwt)
    {
        var authority = jwt["Authority"];
        var keys = jwt.GetSection("SigningKeys").GetChildren().Select(k => SigningKey(k.Path, k.Value)).ToArray();
        if (authority is null && keys.Length == 0)
        {
            return null;
        }

        return new JwtSettings(
            authority,
            jwt["Issuer"] ?? authority ?? throw new ConfigurationException("Gateway:Auth:Jwt:Issuer is required with SigningKeys."),
            jwt["Audience"] ?? throw new ConfigurationException("Gateway:Auth:Jwt:Audience is required: a token for another service must not be taken here."),
            keys,
            jwt["TenantClaim"] ?? "sub");
    }

    private static SecurityKey SigningKey(string path, string? value)
    {
        if (value is null)
        {
            throw new ConfigurationException($"{path} is empty.");
        }

        if (value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return PemKey(path, value);
        }

        var bytes = Convert.TryFromBase64String(value, new byte[value.Length], out var written)
            ? Convert.FromBase64String(value)
            : throw new ConfigurationException($"{path} is neither a PEM public key nor base64.");
        return written >= 32
            ? new SymmetricSecurityKey(bytes)
            : throw new ConfigurationException($"{path}: an HMAC key needs at least 32 bytes (RFC 7518 §3.2), not {written}.");
    }

    private static SecurityKey PemKey(string path, string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (ArgumentException ex)
        {
            ec.Dispose();
            throw new ConfigurationException($"{path} is not an RSA or EC public key in PEM.", ex);
        }
    }
}
