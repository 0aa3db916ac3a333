// libFuzzer target: bytes from a peer through the yamux frame decoder and session (windows, pings, go-away),
// with local stream operations mixed in. Sources: Sources/NimbusLibp2p/Muxer/*.swift Sources/NimbusLibp2p/Yamux/*.swift

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYamux(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let chunk = max(1, Int(first >> 2))
    var session = YamuxSession(configuration: .init(isClient: first & 1 == 0, maxStreams: 8, maxSendFrameLength: 128))
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
        let selector = stream[index]
        if let id = streams.isEmpty ? nil : streams[Int(selector) % streams.count] {
            switch selector & 7 {
            case 0: _ = try? session.write(id, [UInt8](repeating: selector, count: Int(selector) * 64))
            case 1: _ = try? session.closeWrite(id)
            case 2: _ = session.reset(id)
            case 3: _ = session.consumed(id, count: Int(selector) * 1024)
            case 4: _ = session.ping(UInt32(selector))
            case 5: _ = session.goAway()
            default: if let opened = try? session.openStream() { streams.append(opened.0) }
            }
        }
        precondition(session.streamCount <= 8)
        index = end
    }
    return 0
}
