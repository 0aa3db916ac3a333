// libFuzzer target: bytes from a relay peer through the gossipsub RPC framing and decoder (11/WAKU2-RELAY), then
// through a relay router as if a peer had sent them.
// Built by Fuzz/run from Sources/NimbusWaku/Codec/*.swift, Relay/*.swift and Support/*.swift (instrumented), with
// swift-crypto (message ids) linked from a SwiftPM build.
// Any crash or trap is a finding; so is a decoded RPC that does not survive re-encoding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGossipRPC(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    // The first byte picks how the stream is chunked, so framing is exercised at every split.
    let chunk = max(1, Int(first))
    var frames = LengthPrefixedFrames(maxFrameSize: GossipRPC.Limits.relay.maxEncodedSize)
    var router = RelayRouter(generator: SplitMix64(seed: 1))
    let topic = "/waku/2/rs/1/0"
    let peer = WakuPeerID("fuzz")
    _ = router.join(topic, now: .zero)
    _ = router.addPeer(peer, outbound: false)
    var now: Duration = .zero
    let stream = bytes.dropFirst()
    var index = stream.startIndex
    while index < stream.endIndex {
        let end = min(index + chunk, stream.endIndex)
        frames.append(stream[index..<end])
        index = end
        do {
            while let frame = try frames.next() {
                let rpc = try GossipRPC(decoding: frame)
                // PRUNE peer records are counted, not re-encoded; compare without them.
                let normalized = withoutPruneRecords(rpc)
                let againNormalized = withoutPruneRecords(try GossipRPC(decoding: rpc.encoded()))
                precondition(againNormalized == normalized, "gossipsub RPC does not survive a round trip")
                _ = router.receive(rpc, from: peer, now: now)
                now += .seconds(1)
                _ = router.heartbeat(now: now)
            }
        } catch {
            _ = error.description
            return 0
        }
    }
    return 0
}

func withoutPruneRecords(_ rpc: GossipRPC) -> GossipRPC {
    var copy = rpc
    if var control = copy.control {
        control.prune = control.prune.map { GossipRPC.Prune(topic: $0.topic, backoffSeconds: $0.backoffSeconds) }
        copy.control = control.isEmpty ? nil : control
    }
    return copy
}
