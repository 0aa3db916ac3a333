// libFuzzer target: the Noise framing of libp2p (2-byte length prefixes), the XX handshake message splitter and
// the NoiseHandshakePayload protobuf decoder — everything a peer controls before any authentication.
// Sources: Sources/NimbusMultiformats/Protobuf/*.swift Sources/NimbusLibp2p/Noise/NoiseFrameDecoder.swift
//          Sources/NimbusLibp2p/Noise/NoiseHandshakeMessage.swift Sources/NimbusNoise/NoiseError.swift
//          Sources/NimbusLibp2p/Noise/NoiseHandshakePayload.swift

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNoiseFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    // The first byte picks the frame limit (handshake or transport) and the split.
    let limit = first & 1 == 0 ? 8192 : NoiseFrameDecoder.maxLength
    let chunk = max(1, Int(first >> 1))
    var decoder = NoiseFrameDecoder(maxFrameLength: limit)
    var step = 1
    let stream = bytes.dropFirst()
    var index = stream.startIndex
    while index < stream.endIndex {
        let end = min(index + chunk, stream.endIndex)
        decoder.append(stream[index..<end])
        index = end
        do {
            while let frame = try decoder.next() {
                precondition(frame.count <= limit)
                if let message = try? NoiseHandshakeMessage(step: step, bytes: frame) {
                    // Treat the payload as if it had decrypted to itself.
                    if let payload = try? NoiseHandshakePayload(protobuf: message.payload) {
                        let again = try? NoiseHandshakePayload(protobuf: payload.protobuf)
                        precondition(again == payload, "payload does not survive a round trip")
                    }
                }
                step = step % 3 + 1
            }
        } catch {
            _ = error.description
            return 0
        }
    }
    _ = decoder.takeBuffered()
    return 0
}
