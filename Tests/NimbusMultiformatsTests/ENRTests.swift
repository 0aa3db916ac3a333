import NimbusKeccak
import Testing
import NimbusHex

@testable import NimbusMultiformats

@Suite struct KeccakAndRLPTests {
    /// Digests from pycryptodome's Keccak (digest_bits=256); the last two span two and four blocks.
    static let keccakVectors: [([UInt8], String)] = [
        ([], "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        (Array("abc".utf8), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ([UInt8](repeating: 0x61, count: 200), "96ea54061def936c4be90b518992fdc6f12f535068a256229aca54267b4d084d"),
        (Array(0...255) + Array(0...255), "f55ba327291604f0e5be6651752398b7be2331aad65f5763ce067df95cc13be1"),
    ]

    @Test(arguments: keccakVectors)
    func keccak(input: [UInt8], digest: String) {
        #expect(Hex.encode(Keccak256.hash(input)) == digest)
    }

    @Test func rlpVectors() throws {
        let cases: [(RLPItem, String)] = [
            (.bytes(Array("dog".utf8)), "83646f67"),
            (.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]), "c88363617483646f67"),
            (.bytes([]), "80"), (.list([]), "c0"), (.unsignedInteger(0), "80"), (.unsignedInteger(15), "0f"),
            (.unsignedInteger(1024), "820400"),
            (.list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])]), "c7c0c1c0c3c0c1c0"),
            (
                .bytes(Array("Lorem ipsum dolor sit amet, consectetur adipisicing elit".utf8)),
                "b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e736563746574757220616469"
                    + "7069736963696e6720656c6974"
            ),
        ]
        for (item, hexText) in cases {
            #expect(Hex.encode(RLP.encode(item)) == hexText)
            #expect(try RLP.decode(Hex.decode(hexText)!) == item)
        }
        #expect(RLPItem.bytes([0x04, 0x00]).unsignedInteger == 1024)
        #expect(RLPItem.bytes([0x00, 0x01]).unsignedInteger == nil)
    }

    @Test func rlpRefusesNonCanonicalAndBrokenInput() {
        #expect(throws: RLPError.nonCanonical) { try RLP.decode([0x81, 0x05]) }
        #expect(throws: RLPError.nonCanonical) { try RLP.decode([0xB8, 0x05, 1, 2, 3, 4, 5]) }
        #expect(throws: RLPError.nonCanonical) {
            try RLP.decode([0xB9, 0x00, 0x40] + [UInt8](repeating: 0, count: 64))
        }
        #expect(throws: RLPError.truncated) { try RLP.decode([0x83, 0x61]) }
        #expect(throws: RLPError.truncated) { try RLP.decode([UInt8]()) }
        #expect(throws: RLPError.trailingBytes) { try RLP.decode([0x01, 0x02]) }
        var deep = RLPItem.list([])
        for _ in 0..<20 { deep = .list([deep]) }
        #expect(throws: RLPError.tooDeep) { try RLP.decode(RLP.encode(deep)) }
    }
}

@Suite struct ENRTests {
    /// EIP-778's example record (private key b71c71a6…f291).
    static let eip778 =
        "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlk"
        + "gnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8"
    /// A Waku fleet record shared as a test vector by nwaku and js-waku: ip 18.223.219.100, udp 9000, no tcp,
    /// `multiaddrs` with a dns4 wss, a dns6 wss and an onion3 address.
    static let waku =
        "enr:-QEnuEBEAyErHEfhiQxAVQoWowGTCuEF9fKZtXSd7H_PymHFhGJA3rGAYDVSHKCyJDGRLBGsloNbS8AZF33IVuefjOO6BIJp"
        + "ZIJ2NIJpcIQS39tkim11bHRpYWRkcnO4lgAvNihub2RlLTAxLmRvLWFtczMud2FrdXYyLnRlc3Quc3RhdHVzaW0ubmV0BgG73gMA"
        + "ODcxbm9kZS0wMS5hYy1jbi1ob25na29uZy1jLndha3V2Mi50ZXN0LnN0YXR1c2ltLm5ldAYBu94DACm9A62t7AQL4Ef5ZYZosRpQ"
        + "TzFVAB8jGjf1TER2wH-0zBOe1-MDBNLeA4lzZWNwMjU2azGhAzfsxbxyCkgCqq8WwYsVWH7YkpMLnU2Bw5xJSimxKav-g3VkcIIj" + "KA"

    @Test func eip778Example() throws {
        let record = try ENR(Self.eip778)
        #expect(record.sequence == 1)
        #expect(record.ip4 == IPv4Address("127.0.0.1"))
        #expect(record.udp == 30303)
        #expect(record.tcp == nil)
        #expect(Hex.encode(record.publicKey) == "03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138")
        #expect(Hex.encode(record.nodeID) == "a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7")
        #expect(record.description == Self.eip778)
        #expect(record.waku2 == nil)
        #expect(record.libp2pMultiaddrs.isEmpty)
    }

    @Test func wakuFleetRecord() throws {
        let record = try ENR(Self.waku)
        #expect(record.ip4 == IPv4Address("18.223.219.100"))
        #expect(record.udp == 9000)
        #expect(record.tcp == nil)
        let addresses = record.multiaddrs.map(\.description)
        // The onion3 entry is skipped; the others decode.
        #expect(
            addresses == [
                "/dns4/node-01.do-ams3.wakuv2.test.statusim.net/tcp/443/wss",
                "/dns6/node-01.ac-cn-hongkong-c.wakuv2.test.statusim.net/tcp/443/wss",
            ])
        #expect(record.libp2pMultiaddrs.allSatisfy { $0.peerID == record.peerID })
        #expect(record.peerID.description.hasPrefix("16Uiu2"))
    }

    @Test func signedRecordWithWakuFields() throws {
        let secret = [UInt8](repeating: 0x42, count: 32)
        let wss = try Multiaddr("/dns4/example.com/tcp/443/wss")
        let field = [UInt8(wss.bytes.count >> 8), UInt8(wss.bytes.count & 0xFF)] + wss.bytes
        let record = try ENR(
            sequence: 7,
            entries: [
                "ip": .bytes([192, 168, 1, 2]), "tcp": .unsignedInteger(60000), "waku2": .bytes([0b0000_1011]),
                "multiaddrs": .bytes(field), "rs": .bytes([0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x05]),
            ], secretKey: secret)
        let decoded = try ENR(record.description)
        #expect(decoded == record)
        #expect(decoded.sequence == 7)
        #expect(decoded.waku2 == [.relay, .store, .lightpush])
        #expect(decoded.relayShards == RelayShards(cluster: 1, shards: [0, 5]))
        #expect(decoded.multiaddrs == [wss])
        let peer = decoded.peerID.description
        #expect(
            decoded.libp2pMultiaddrs.map(\.description) == [
                "/ip4/192.168.1.2/tcp/60000/p2p/\(peer)", "/dns4/example.com/tcp/443/wss/p2p/\(peer)",
            ])
    }

    @Test func relayShardBitVector() {
        var vector = [UInt8](repeating: 0, count: 130)
        vector[1] = 1  // cluster 1
        vector[2] = 0b1000_0001  // shards 0 and 7
        vector[3] = 0b0100_0000  // shard 9
        #expect(RelayShards(bitVector: vector) == RelayShards(cluster: 1, shards: [0, 7, 9]))
        #expect(RelayShards(bitVector: [0, 1]) == nil)
        #expect(RelayShards(indexList: [0, 1, 2, 0]) == nil)
    }

    @Test func badRecordsHaveClearErrors() throws {
        #expect(throws: ENRError.invalidText) { try ENR("enx:abc") }
        #expect(throws: ENRError.invalidText) { try ENR("enr:***") }
        // One flipped signature byte.
        var bytes = Base64URL.decode(String(Self.eip778.dropFirst(4)))!
        bytes[10] ^= 0x01
        #expect(throws: ENRError.invalidSignature) { try ENR(rlp: bytes) }
        #expect(throws: ENRError.tooLarge(301)) { try ENR(rlp: [UInt8](repeating: 0, count: 301)) }
        #expect(throws: ENRError.rlp(.truncated)) { try ENR(rlp: [0xC5, 0x80]) }
        #expect(throws: ENRError.malformedRecord("not a list of signature, seq and pairs")) { try ENR(rlp: [0x80]) }
        let secret = [UInt8](repeating: 0x42, count: 32)
        #expect(throws: ENRError.invalidField(key: "ip", reason: "not 4 bytes")) {
            try ENR(sequence: 1, entries: ["ip": .bytes([1, 2, 3])], secretKey: secret)
        }
        #expect(throws: ENRError.invalidField(key: "multiaddrs", reason: "entry length 9 beyond the field")) {
            try ENR(sequence: 1, entries: ["multiaddrs": .bytes([0, 9, 1])], secretKey: secret)
        }
        // Keys out of order: re-encode a valid record's pairs swapped.
        let record = try ENR(
            sequence: 1, entries: ["ip": .bytes([1, 2, 3, 4]), "tcp": .unsignedInteger(1)], secretKey: secret)
        var items = try RLP.decode(record.rlp).items!
        items.swapAt(2, 4)
        items.swapAt(3, 5)
        #expect(throws: ENRError.keysNotSorted) { try ENR(rlp: RLP.encode(.list(items))) }
    }
}
