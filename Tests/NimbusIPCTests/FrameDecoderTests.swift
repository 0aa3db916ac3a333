import Testing
@testable import NimbusIPC

/// Framing under every way a stream can split or join frames (after swift-nio's ByteToMessageDecoderVerifier).
@Suite struct FrameDecoderTests {
    let frames: [Frame] = [
        Frame(type: MessageType.ping.rawValue, requestID: 1, body: IPCMessage.ping(nonce: 42).encodedBody()),
        Frame(type: MessageType.shutdown.rawValue, requestID: 0, body: []),
        Frame(type: 0x0202, requestID: 7, body: Array(repeating: 0xAB, count: 5000)),
    ]

    private var wire: [UInt8] { frames.flatMap { $0.encoded() } }

    private func decodeAll(_ chunks: [[UInt8]]) throws -> [Frame] {
        var decoder = FrameDecoder()
        var out: [Frame] = []
        for chunk in chunks {
            decoder.append(chunk)
            while let frame = try decoder.next() { out.append(frame) }
        }
        #expect(decoder.bufferedByteCount == 0)
        return out
    }

    @Test func dripFedOneByteAtATime() throws {
        #expect(try decodeAll(wire.map { [$0] }) == frames)
    }

    @Test func batchedInOneRead() throws {
        #expect(try decodeAll([wire]) == frames)
    }

    @Test(arguments: [2, 3, 11, 12, 13, 1000, 4096])
    func splitIntoChunks(size: Int) throws {
        let bytes = wire
        let chunks = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        #expect(try decodeAll(chunks) == frames)
    }

    @Test func partialFrameWaitsForMoreBytes() throws {
        var decoder = FrameDecoder()
        let bytes = frames[2].encoded()
        decoder.append(bytes.dropLast())
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == bytes.count - 1 - FrameHeader.size)
        decoder.append(bytes.suffix(1))
        #expect(try decoder.next() == frames[2])
    }

    @Test func oversizeIsRejectedFromTheHeaderAlone() throws {
        var writer = WireWriter()
        FrameHeader(bodyLength: UInt32(FrameHeader.maximumBodyLength + 1), type: 1, requestID: 1).encode(into: &writer)
        var decoder = FrameDecoder()
        decoder.append(writer.bytes)
        #expect(throws: IPCError.oversize(length: FrameHeader.maximumBodyLength + 1, limit: FrameHeader.maximumBodyLength)) {
            try decoder.next()
        }
    }

    @Test func smallerLimitApplies() throws {
        var decoder = FrameDecoder(limit: 16)
        decoder.append(Frame(type: 1, requestID: 1, body: Array(repeating: 0, count: 17)).encoded())
        #expect(throws: IPCError.oversize(length: 17, limit: 16)) { try decoder.next() }
    }

    @Test func reservedFlagsAreRejected() throws {
        var bytes = frames[0].encoded()
        bytes[7] = 1
        var decoder = FrameDecoder()
        decoder.append(bytes)
        #expect(throws: IPCError.reservedFlags(1)) { try decoder.next() }
    }

    @Test func truncatedStreamNeverYieldsAFrame() throws {
        var decoder = FrameDecoder()
        decoder.append(frames[2].encoded().prefix(100))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 100 - FrameHeader.size)
    }

    @Test func headerLayoutIsBigEndian() {
        let bytes = Frame(type: 0x0102, requestID: 0x0A0B0C0D, body: [9]).encoded()
        #expect(bytes == [0, 0, 0, 1, 0x01, 0x02, 0, 0, 0x0A, 0x0B, 0x0C, 0x0D, 9])
    }
}
