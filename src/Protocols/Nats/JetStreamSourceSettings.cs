namespace Gateway.Protocols.Nats;

/// <summary>A JetStream source: the stream, its durable pull consumer, an optional subject filter, and the ack wait.</summary>
internal sealed record JetStreamSourceSettings(string Stream, string Durable, string? FilterSubject, TimeSpan AckWait);
