/// The libp2p protocol ids of the Waku protocols (as negotiated by multistream-select).
public enum WakuProtocolID {
    /// 11/WAKU2-RELAY: gossipsub v1.1 under Waku's own id.
    public static let relay = "/vac/waku/relay/2.0.0"
    /// 66/WAKU2-METADATA.
    public static let metadata = "/vac/waku/metadata/1.0.0"
    /// 19/WAKU2-LIGHTPUSH v3.
    public static let lightPush = "/vac/waku/lightpush/3.0.0"
    /// 19/WAKU2-LIGHTPUSH v2 (legacy), the fallback when a service node lacks v3.
    public static let lightPushLegacy = "/vac/waku/lightpush/2.0.0-beta1"
    /// 12/WAKU2-FILTER v2, client to service node.
    public static let filterSubscribe = "/vac/waku/filter-subscribe/2.0.0-beta1"
    /// 12/WAKU2-FILTER v2, service node to client.
    public static let filterPush = "/vac/waku/filter-push/2.0.0-beta1"
    /// 13/WAKU2-STORE v3.
    public static let store = "/vac/waku/store-query/3.0.0"
    /// 34/WAKU2-PEER-EXCHANGE.
    public static let peerExchange = "/vac/waku/peer-exchange/2.0.0-alpha1"
}
