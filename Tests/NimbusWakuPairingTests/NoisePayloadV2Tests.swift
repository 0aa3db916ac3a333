import NimbusWakuPairing
import Testing

@Suite struct NoisePayloadV2Tests {
    static let tag = MessageNametag(bytes: (0..<16).map { UInt8($0 + 0xA0) })!

    static func handshake() -> NoisePayloadV2 {
        NoisePayloadV2(
            nametag: tag, protocolID: .wakuPairing,
            handshakeMessage: [.init(encrypted: false, bytes: [UInt8](repeating: 1, count: 32)),
                               .init(encrypted: true, bytes: [UInt8](repeating: 2, count: 48))],
            transportMessage: [9, 8, 7])
    }

    @Test func encodesTheDocumentedLayout() throws {
        let bytes = try Self.handshake().encoded()
        #expect(Array(bytes[0..<16]) == Self.tag.bytes)
        #expect(bytes[16] == 14)
        #expect(bytes[17] == 33 + 49)
        #expect(bytes[18] == 0 && bytes[51] == 1)
        #expect(Array(bytes[100..<108]) == [3, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[108...]) == [9, 8, 7])
        #expect(try NoisePayloadV2.decode(bytes) == Self.handshake())
        let transport = NoisePayloadV2(nametag: Self.tag, protocolID: .transport, transportMessage: [])
        #expect(try transport.encoded() == Self.tag.bytes + [0, 0] + [UInt8](repeating: 0, count: 8))
        #expect(try NoisePayloadV2.decode(try transport.encoded()) == transport)
    }

    /// Drip-feeding: every proper prefix of a valid payload is refused as truncated, naming the field cut short.
    @Test func refusesEveryTruncation() throws {
        let bytes = try Self.handshake().encoded()
        for length in 0..<bytes.count {
            let error = #expect(throws: WakuPairingError.self) {
                try NoisePayloadV2.decode(Array(bytes.prefix(length)))
            }
            guard case .payloadTruncated(let field)? = error else {
                Issue.record("prefix of \(length) bytes: \(String(describing: error))")
                continue
            }
            let expected = switch length {
            case 0..<16: "nametag"
            case 16: "protocol id"
            case 17: "handshake message length"
            case 18..<100: "handshake message"
            case 100..<108: "transport message length"
            default: "transport message"
            }
            #expect(field == expected, "prefix of \(length) bytes")
        }
    }

    @Test func refusesTrailingBytes() throws {
        #expect(throws: WakuPairingError.payloadTrailingBytes(2)) {
            try NoisePayloadV2.decode(try Self.handshake().encoded() + [0, 0])
        }
    }

    @Test(arguments: [1, 10, 11, 12, 13, 15, 30, 255] as [UInt8])
    func refusesUnknownProtocolIDs(id: UInt8) throws {
        var bytes = try Self.handshake().encoded()
        bytes[16] = id
        #expect(throws: WakuPairingError.unknownProtocolID(id)) { try NoisePayloadV2.decode(bytes) }
    }

    @Test(arguments: [2, 3, 0x80, 0xFF] as [UInt8])
    func refusesUnknownKeyFlags(flag: UInt8) throws {
        var bytes = try Self.handshake().encoded()
        bytes[51] = flag
        #expect(throws: WakuPairingError.publicKeyFlag(flag)) { try NoisePayloadV2.decode(bytes) }
    }

    @Test func refusesAHandshakeLengthThatSplitsAKey() throws {
        var bytes = try Self.handshake().encoded()
        // Length 40: the first key (33) fits, the second's flag says 49 bytes but only 7 are left.
        bytes[17] = 40
        #expect(throws: WakuPairingError.handshakeMessageLength) { try NoisePayloadV2.decode(bytes) }
        // A flag-1 key counted as a flag-0 one.
        bytes = try Self.handshake().encoded()
        bytes[18] = 1
        bytes[17] = 33
        #expect(throws: WakuPairingError.handshakeMessageLength) { try NoisePayloadV2.decode(bytes) }
    }

    @Test func refusesKeysInATransportMessage() throws {
        var bytes = try Self.handshake().encoded()
        bytes[16] = 0
        #expect(throws: WakuPairingError.wrongProtocolForStep(0)) { try NoisePayloadV2.decode(bytes) }
    }

    @Test func refusesAnOverlongTransportLength() throws {
        var bytes = try Self.handshake().encoded()
        bytes[107] = 0x80  // 2^63 + 3
        #expect(throws: WakuPairingError.payloadTruncated(field: "transport message")) {
            try NoisePayloadV2.decode(bytes)
        }
    }

    @Test func refusesToEncodeMoreThan255BytesOfKeys() throws {
        var payload = Self.handshake()
        payload.handshakeMessage = Array(repeating: .init(encrypted: true, bytes: [UInt8](repeating: 0, count: 48)),
                                         count: 6)  // 294 bytes
        #expect(throws: WakuPairingError.handshakeMessageTooLong) { try payload.encoded() }
        payload.handshakeMessage.removeLast()  // 245 bytes
        #expect(try NoisePayloadV2.decode(try payload.encoded()) == payload)
    }
}
