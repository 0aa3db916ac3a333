// libFuzzer target: the protobuf decoders that read peer data — PublicKey (and the peer id built from it),
// NoiseHandshakePayload and Identify (with its multiaddrs) — each checked to survive re-encoding.
// Sources: Sources/NimbusMultiformats/Encoding/*.swift Sources/NimbusMultiformats/Protobuf/*.swift
//          Sources/NimbusMultiformats/Multiaddr/*.swift Sources/NimbusMultiformats/Identity/*.swift
//          Sources/NimbusLibp2p/Noise/NoiseHandshakePayload.swift Sources/NimbusLibp2p/Identify/IdentifyMessage.swift

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLibp2pProtobuf(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    switch first % 4 {
    case 0:
        if let key = try? Libp2pPublicKey(protobuf: body) {
            precondition((try? Libp2pPublicKey(protobuf: key.protobuf)) == key)
            if key.protobuf.count <= PeerID.maxInlineKeyLength {
                let multihash = [PeerID.identityCode, UInt8(key.protobuf.count)] + key.protobuf
                let peer = try? PeerID(multihash: multihash)
                precondition(peer?.inlinePublicKey == key)
                precondition(peer.flatMap { try? PeerID($0.description) } == peer)
            }
        }
    case 1:
        if let payload = try? NoiseHandshakePayload(protobuf: body) {
            precondition((try? NoiseHandshakePayload(protobuf: payload.protobuf)) == payload)
        }
    case 2:
        if let message = try? IdentifyMessage(protobuf: body) {
            precondition((try? IdentifyMessage(protobuf: message.protobuf)) == message)
            for address in message.listenMultiaddrs {
                precondition((try? Multiaddr(bytes: address.bytes)) == address)
                precondition((try? Multiaddr(address.description)) == address)
            }
        }
    default:
        // Multiaddr binary and text forms, and peer id text.
        if let address = try? Multiaddr(bytes: body) {
            precondition((try? Multiaddr(address.description)) == address)
        }
        if let text = String(validating: body, as: UTF8.self) {
            if let address = try? Multiaddr(text) { precondition((try? Multiaddr(bytes: address.bytes)) == address) }
            if let peer = try? PeerID(text) { _ = peer.inlinePublicKey }
        }
    }
    return 0
}
