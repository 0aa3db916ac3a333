// libFuzzer target: bytes from a peer through multistream-select, as initiator and as responder.
// Sources: Sources/NimbusMultiformats/Encoding/Varint.swift Sources/NimbusLibp2p/Multistream/*.swift
// Any crash or trap is a finding; a failed negotiation is the expected answer to garbage.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultistream(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    // The first byte picks the role and how the input is split, so one corpus covers every split.
    let chunk = max(1, Int(first >> 2))
    var negotiation =
        first & 1 == 0
        ? MultistreamNegotiation(
            supporting: ["/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0"], maxMessageLength: 1024, maxProposals: 8)
        : MultistreamNegotiation(proposing: ["/yamux/1.0.0", "/mplex/6.7.0"], maxMessageLength: 1024)
    _ = negotiation.start()
    let stream = bytes.dropFirst()
    var index = stream.startIndex
    while index < stream.endIndex && !negotiation.isFinished {
        let end = min(index + chunk, stream.endIndex)
        for action in negotiation.receive(stream[index..<end]) {
            switch action {
            case .send(let reply): precondition(!reply.isEmpty)
            case .agreed(_, let remainder): precondition(remainder.count <= size, "remainder larger than the input")
            case .failed(let error): _ = error.description
            }
        }
        index = end
    }
    return 0
}
