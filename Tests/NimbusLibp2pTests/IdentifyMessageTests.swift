import NimbusMultiformats
import Testing

@testable import NimbusLibp2p

@Suite struct IdentifyMessageTests {
    @Test func roundTripAndAddresses() throws {
        let listen = try Multiaddr("/ip4/127.0.0.1/tcp/4001")
        let message = IdentifyMessage(
            protocolVersion: "ipfs/0.1.0", agentVersion: "nimbus", publicKey: [8, 1],
            listenAddresses: [listen.bytes, [0xBD, 0x03]],
            observedAddress: listen.bytes, protocols: ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"], signedPeerRecord: [1]
        )
        let decoded = try IdentifyMessage(protobuf: message.protobuf)
        #expect(decoded == message)
        // The undecodable address is kept as bytes and skipped when decoding.
        #expect(decoded.listenMultiaddrs == [listen])
        #expect(decoded.observedMultiaddr == listen)
    }

    @Test func lengthPrefixedAndBareFormsDecode() throws {
        let message = IdentifyMessage(agentVersion: "x", protocols: ["/a"])
        #expect(
            try Libp2pHost.decodeIdentify(Varint.encode(UInt64(message.protobuf.count)) + message.protobuf) == message)
        #expect(try Libp2pHost.decodeIdentify(message.protobuf) == message)
        #expect(throws: Libp2pError.self) { try Libp2pHost.decodeIdentify([0x2A, 0x05, 0x01]) }
    }

    @Test func badMessagesHaveClearErrors() {
        #expect(throws: ProtobufError.wrongWireType(field: "3")) { try IdentifyMessage(protobuf: [0x18, 0x01]) }
        #expect(throws: ProtobufError.invalidValue(field: "agentVersion", reason: "not UTF-8")) {
            try IdentifyMessage(protobuf: [0x32, 0x01, 0xFF])
        }
        #expect(throws: ProtobufError.messageTooLarge(size: 70000, limit: 65536)) {
            try IdentifyMessage(protobuf: [UInt8](repeating: 0, count: 70000))
        }
    }
}
