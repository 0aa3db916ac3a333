// libFuzzer target: network bytes through the 14/WAKU2-MESSAGE decoder and the deterministic hash.
// Built by Fuzz/run from Sources/NimbusWaku/Codec/*.swift (instrumented), with swift-crypto (the hash's SHA-256)
// linked from a SwiftPM build.
// Any crash or trap is a finding; so is a decoded message that does not survive re-encoding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWakuMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let message = try WakuMessage(decoding: bytes)
        let again = try WakuMessage(decoding: message.encoded())
        precondition(again == message, "WakuMessage does not survive a round trip")
        _ = WakuMessageHash(pubsubTopic: "/waku/2/rs/1/0", message: message)
        _ = try? AutoSharding.theWakuNetwork.shard(forContentTopic: message.contentTopic)
    } catch {
        _ = error.description
    }
    return 0
}
