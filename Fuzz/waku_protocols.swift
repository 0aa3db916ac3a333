// libFuzzer target: bytes from a service peer or client through every Waku request-response decoder
// (19/WAKU2-LIGHTPUSH v3 and v2, 12/WAKU2-FILTER v2, 13/WAKU2-STORE v3, 66/WAKU2-METADATA, 34/WAKU2-PEER-EXCHANGE)
// and the length-prefixed framing they share.
// Built by Fuzz/run from Sources/NimbusWaku/Codec/*.swift (instrumented), with swift-crypto linked from a SwiftPM
// build.
// The first byte picks the decoder. Any crash or trap is a finding; so is a decoded message that does not survive
// re-encoding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWakuProtocols(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    do {
        switch first % 12 {
        case 0: try roundTrip(LightPushRequest(decoding: body)) { try LightPushRequest(decoding: $0.encoded()) }
        case 1: try roundTrip(LightPushResponse(decoding: body)) { try LightPushResponse(decoding: $0.encoded()) }
        case 2: try roundTrip(LegacyPushRPC(decoding: body)) { try LegacyPushRPC(decoding: $0.encoded()) }
        case 3:
            try roundTrip(FilterSubscribeRequest(decoding: body)) { try FilterSubscribeRequest(decoding: $0.encoded()) }
        case 4:
            try roundTrip(FilterSubscribeResponse(decoding: body)) {
                try FilterSubscribeResponse(decoding: $0.encoded())
            }
        case 5: try roundTrip(FilterMessagePush(decoding: body)) { try FilterMessagePush(decoding: $0.encoded()) }
        case 6: try roundTrip(StoreQueryRequest(decoding: body)) { try StoreQueryRequest(decoding: $0.encoded()) }
        case 7: try roundTrip(StoreQueryResponse(decoding: body)) { try StoreQueryResponse(decoding: $0.encoded()) }
        case 8: try roundTrip(MetadataMessage(decoding: body)) { try MetadataMessage(decoding: $0.encoded()) }
        case 9: try roundTrip(PeerExchangeRPC(decoding: body)) { try PeerExchangeRPC(decoding: $0.encoded()) }
        case 10: _ = try? ContentTopic(String(decoding: body, as: UTF8.self))
        default:
            // Framing: the stream split into chunks of the size the second byte gives.
            var frames = LengthPrefixedFrames(maxFrameSize: 4096)
            let chunk = max(1, Int(body.first ?? 1))
            var index = 0
            while index < body.count {
                frames.append(body[index..<min(index + chunk, body.count)])
                index += chunk
                while let frame = try frames.next() { precondition(frame.count <= 4096) }
            }
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

func roundTrip<Message: Equatable>(_ decoded: Message, _ reencode: (Message) throws -> Message) throws {
    let again = try reencode(decoded)
    precondition(again == decoded, "\(Message.self) does not survive a round trip")
}
