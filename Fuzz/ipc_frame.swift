// libFuzzer target: bytes from a peer process through the frame decoder and every link endpoint.
// Built by Fuzz/run with the NimbusIPC sources compiled in; any crash or trap is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPCFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    // The first byte picks the receiving end and how the stream is split, so one corpus covers all of them.
    let link = Link.allCases[Int(first) % Link.allCases.count]
    let local = first & 0x80 == 0 ? link.parent : link.child
    let chunk = max(1, Int(first >> 3))
    var endpoint = LinkEndpoint(link: link, local: local)
    var decoder = FrameDecoder()
    let stream = bytes.dropFirst()
    var index = stream.startIndex
    while index < stream.endIndex {
        let end = min(index + chunk, stream.endIndex)
        decoder.append(stream[index..<end])
        index = end
        do {
            while let frame = try decoder.next() {
                let withDescriptor = frame.type == MessageType.peerLinkReplaced.rawValue
                _ = try endpoint.receive(frame, hasDescriptor: withDescriptor)
            }
        } catch {
            _ = error.description
            return 0
        }
    }
    return 0
}
