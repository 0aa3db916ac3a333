/// Collects what one router step sends to each peer, so that each peer gets one RPC per step, in peer order.
struct RelayOutbox {
    private var rpcs: [WakuPeerID: GossipRPC] = [:]

    mutating func subscribe(_ peer: WakuPeerID, topic: String, _ subscribe: Bool) {
        rpcs[peer, default: GossipRPC()].subscriptions.append(
            GossipRPC.Subscription(subscribe: subscribe, topic: topic))
    }

    mutating func message(_ peer: WakuPeerID, _ message: GossipRPC.Message) {
        rpcs[peer, default: GossipRPC()].messages.append(message)
    }

    mutating func graft(_ peer: WakuPeerID, topic: String) {
        update(peer) { $0.graft.append(topic) }
    }

    mutating func prune(_ peer: WakuPeerID, topic: String, backoff: Duration) {
        update(peer) {
            $0.prune.append(GossipRPC.Prune(topic: topic, backoffSeconds: UInt64(backoff.components.seconds)))
        }
    }

    mutating func ihave(_ peer: WakuPeerID, topic: String, _ ids: [[UInt8]]) {
        update(peer) { $0.ihave.append(GossipRPC.IHave(topic: topic, messageIDs: ids)) }
    }

    mutating func iwant(_ peer: WakuPeerID, _ ids: [[UInt8]]) {
        update(peer) { $0.iwant.append(ids) }
    }

    private mutating func update(_ peer: WakuPeerID, _ change: (inout GossipRPC.Control) -> Void) {
        var control = rpcs[peer]?.control ?? GossipRPC.Control()
        change(&control)
        rpcs[peer, default: GossipRPC()].control = control
    }

    /// One send action per peer with something to send, in peer order.
    func actions() -> [RelayRouter.Action] {
        rpcs.keys.sorted().compactMap { peer in
            let rpc = rpcs[peer]!
            return rpc.isEmpty ? nil : .send(rpc, to: peer)
        }
    }
}
