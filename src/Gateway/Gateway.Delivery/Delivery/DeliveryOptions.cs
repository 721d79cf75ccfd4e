namespace Gateway.Delivery;

/// <summary>Gateway-wide delivery settings (<c>Gateway:Delivery:*</c>) the workers read.</summary>
internal sealed record DeliveryOptions
{
    /// <summary><c>Gateway:Delivery:HopLimit</c>: how many times a reply may be routed on (loop guard).</summary>
    public int HopLimit { get; init; } = 16;
}
