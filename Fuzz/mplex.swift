// libFuzzer target: bytes from a peer through the mplex frame decoder and session, with local stream operations
// mixed in. Sources: Sources/NimbusMultiformats/Encoding/Varint.swift Sources/NimbusLibp2p/Muxer/*.swift
//                    Sources/NimbusLibp2p/Mplex/*.swift

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMplex(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let chunk = max(1, Int(first >> 3))
    var session = MplexSession(configuration: .init(maxStreams: 8, maxFrameLength: 4096, maxSendFrameLength: 64))
    var streams: [MuxedStreamID] = []
    let stream = bytes.dropFirst()
    var index = stream.startIndex
    while index < stream.endIndex {
        let end = min(index + chunk, stream.endIndex)
        for action in session.receive(Array(stream[index..<end])) {
            switch action {
            case .streamOpened(let id): streams.append(id)
            case .failed: return 0
            default: break
            }
        }
        // The first byte of each chunk also drives a local operation on a known stream.
        let selector = stream[index]
        if let id = streams.isEmpty ? nil : streams[Int(selector) % streams.count] {
            switch selector & 3 {
            case 0: _ = try? session.write(id, [selector])
            case 1: _ = try? session.closeWrite(id)
            case 2: _ = session.reset(id)
            default: _ = try? session.openStream()
            }
        }
        precondition(session.streamCount <= 8)
        index = end
    }
    return 0
}
