namespace Gateway.Protocols.Mqtt;

/// <summary>The MQTT protocol version of a sink or source.</summary>
public enum MqttVersion
{
    /// <summary>MQTT 3.1.1 (<c>MQTT3</c>).</summary>
    V311,

    /// <summary>MQTT 5.0 (<c>MQTT5</c>).</summary>
    V500,
}
