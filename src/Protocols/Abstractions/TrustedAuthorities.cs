using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// The certificate authorities a server's TLS certificate may chain to, for every protocol's sinks, sources and
/// token endpoints: the system's roots, and those of <c>Gateway:Tls:TrustedCaFile</c> (a PEM
/// bundle) for servers with certificates from a company's own CA. The host name is always checked.
/// </summary>
public sealed class TrustedAuthorities
{
    /// <summary>The system's roots alone.</summary>
    public static readonly TrustedAuthorities SystemRoots = new(null, []);

    private readonly X509Certificate2Collection _authorities;

    private TrustedAuthorities(string? caFile, X509Certificate2Collection authorities)
    {
        CaFile = caFile;
        _authorities = authorities;
    }

    /// <summary>The PEM bundle, for clients that read it themselves (librdkafka's <c>ssl.ca.location</c>), or null.</summary>
    public string? CaFile { get; }

    /// <summary>The system's roots and the certificates of <paramref name="caFile"/>; throws when it holds none.</summary>
    public static TrustedAuthorities Load(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        return authorities.Count > 0
            ? new TrustedAuthorities(Path.GetFullPath(caFile), authorities)
            : throw new InvalidDataException($"{caFile} holds no PEM certificate");
    }

    /// <summary>
    /// A <see cref="RemoteCertificateValidationCallback"/>: accepts what the system trusts, or a chain to one of the
    /// configured authorities; otherwise throws <see cref="UntrustedCertificateException"/>, which says why, so the
    /// subscription's or source's status names the certificate rather than a bare handshake failure.
    /// </summary>
    public bool Validate(object? sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            throw new UntrustedCertificateException("the server presented no TLS certificate");
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            throw new UntrustedCertificateException($"the server's TLS certificate ({leaf.Subject}) is not for the host it was reached by");
        }

        var problem = ChainProblem(leaf, chain);
        return problem is null
            ? true
            : throw new UntrustedCertificateException(
                $"the server's TLS certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted: {problem}; "
                + "trust its authority with Gateway:Tls:TrustedCaFile");
    }

    /// <summary>Null when <paramref name="leaf"/> chains to a configured authority, or what is wrong with its chain.</summary>
    private string? ChainProblem(X509Certificate2 leaf, X509Chain? systemChain)
    {
        var systemProblem = systemChain is null ? "no chain" : Describe(systemChain);
        if (_authorities.Count == 0)
        {
            return systemProblem;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        // As for the system's roots in SslStream's default: a company CA seldom publishes revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // The intermediates the server sent, which the system's chain holds.
        if (systemChain is not null)
        {
            foreach (var element in systemChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf) ? null : Describe(chain);
    }

    private static string Describe(X509Chain chain) =>
        string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
}

/// <summary>A server's TLS certificate was refused; the message says whose and why.</summary>
public sealed class UntrustedCertificateException(string message) : Exception(message);
