/// Defaults for The Waku Network (64/WAKU2-NETWORK): cluster 1, 8 autosharded shards, and the public sandbox fleet
/// (`waku.sandbox`, the Status-run nwaku nodes of The Waku Network) as bootstrap peers over TCP 30303.
///
/// The fleet addresses are facts taken from the fleet's published node list (as in nwaku's and js-waku's
/// documentation); they change when the fleet is redeployed, so the daemon's configuration can replace them.
public enum WakuNetworkDefaults {
    /// The Waku Network's sharding: cluster 1, 8 shards.
    public static let sharding = AutoSharding.theWakuNetwork

    /// The sandbox fleet's TCP multiaddrs (Amsterdam, US Central, Hong Kong).
    public static let sandboxBootstrap = [
        "/dns4/node-01.do-ams3.waku.sandbox.status.im/tcp/30303"
            + "/p2p/16Uiu2HAmNaeL4p3WEYzC9mgXBmBWSgWjPHRvatZTXnp8Jgv3iKsb",
        "/dns4/node-01.gc-us-central1-a.waku.sandbox.status.im/tcp/30303"
            + "/p2p/16Uiu2HAmRv1iQ3NoMMcjbtRmKxPuYBbF9nLYz2SDv9MTN8WhGuUU",
        "/dns4/node-01.ac-cn-hongkong-c.waku.sandbox.status.im/tcp/30303"
            + "/p2p/16Uiu2HAmQYiojgZ8APsh9wqbWNyCstVhnp9gbeNrxSEQnLJchC92",
    ]
}
