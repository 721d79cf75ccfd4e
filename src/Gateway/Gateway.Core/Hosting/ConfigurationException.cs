namespace Gateway.Hosting;

/// <summary>A setting the gateway cannot start with; the message names the key. Printed alone, without a stack trace.</summary>
internal sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
