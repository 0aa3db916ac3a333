import Testing
import NimbusHex

@testable import NimbusMultiformats

@Suite struct MultiaddrTests {
    @Test(arguments: [
        ("/ip4/127.0.0.1/tcp/4001", "047f00000106 0fa1"),
        ("/ip6/::1/tcp/30303", "2900000000000000000000000000000001 06 765f"),
        ("/dns4/example.com/tcp/443/wss", "36 0b 6578616d706c652e636f6d 06 01bb de03"),
        ("/dns6/node.test/tcp/8000/ws", "37 09 6e6f64652e74657374 06 1f40 dd03"),
        ("/ip4/10.0.0.1/udp/9000/quic-v1", "040a000001 9102 2328 cc03"),
        ("/dns/localhost/tcp/1", "35 09 6c6f63616c686f7374 06 0001"),
    ])
    func textAndBinaryForms(text: String, hexBytes: String) throws {
        let address = try Multiaddr(text)
        let bytes = Hex.decode(hexBytes.replacingOccurrences(of: " ", with: ""))!
        #expect(address.description == text)
        #expect(address.bytes == bytes)
        #expect(try Multiaddr(bytes: bytes) == address)
    }

    @Test func peerIDComponent() throws {
        let text = "/ip4/1.2.3.4/tcp/60000/p2p/16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi"
        let address = try Multiaddr(text)
        #expect(address.description == text)
        #expect(address.peerID?.description == "16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi")
        #expect(try Multiaddr(bytes: address.bytes) == address)
        #expect(address.withoutPeerID.description == "/ip4/1.2.3.4/tcp/60000")
        // The legacy name reads the same and prints as p2p.
        #expect(try Multiaddr(text.replacingOccurrences(of: "/p2p/", with: "/ipfs/")) == address)
    }

    /// Found by the libp2p_protobuf fuzz target: a binary form within the limit whose text form was longer than
    /// the same limit did not parse back.
    @Test func everyBinaryAddressWithinTheLimitHasATextFormThatParsesBack() throws {
        let component = MultiaddrComponent.ip6(IPv6Address("2929:2929:2929:2929:2929:2929:2929:2929")!)
        let address = Multiaddr(components: [MultiaddrComponent](repeating: component, count: 60))
        #expect(address.bytes.count == 1020)
        #expect(address.description.utf8.count > Multiaddr.maxLength)
        #expect(try Multiaddr(address.description) == address)
        #expect(try Multiaddr(bytes: address.bytes) == address)
    }

    @Test func trailingSlashIsTolerated() throws {
        #expect(try Multiaddr("/ip4/1.2.3.4/tcp/1/").description == "/ip4/1.2.3.4/tcp/1")
    }

    @Test func badTextHasClearErrors() {
        #expect(throws: MultiaddrError.missingLeadingSlash) { try Multiaddr("ip4/1.2.3.4") }
        #expect(throws: MultiaddrError.empty) { try Multiaddr("/") }
        #expect(throws: MultiaddrError.unknownProtocol("onion3")) { try Multiaddr("/onion3/abc:1") }
        #expect(throws: MultiaddrError.missingValue(protocol: "tcp")) { try Multiaddr("/ip4/1.2.3.4/tcp") }
        #expect(throws: MultiaddrError.invalidValue(protocol: "ip4", reason: "not a dotted-decimal IPv4 address")) {
            try Multiaddr("/ip4/256.1.1.1")
        }
        #expect(throws: MultiaddrError.invalidValue(protocol: "tcp", reason: "not a port number")) {
            try Multiaddr("/ip4/1.1.1.1/tcp/65536")
        }
        #expect(throws: MultiaddrError.invalidValue(protocol: "tcp", reason: "not a port number")) {
            try Multiaddr("/ip4/1.1.1.1/tcp/+1")
        }
        #expect(throws: MultiaddrError.self) { try Multiaddr("/p2p/notapeerid0OIl") }
        #expect(throws: MultiaddrError.self) { try Multiaddr("/ip6/1:2:3") }
        #expect(throws: MultiaddrError.tooLong) { try Multiaddr(String(repeating: "/ip4/1.2.3.4", count: 300)) }
        #expect(throws: MultiaddrError.tooLong) { try Multiaddr("/dns4/" + String(repeating: "a", count: 9000)) }
        #expect(throws: MultiaddrError.invalidValue(protocol: "dns4", reason: "not a DNS name")) {
            try Multiaddr("/dns4/" + String(repeating: "a", count: 300))
        }
        #expect(MultiaddrError.unknownProtocol("x").description == "unknown multiaddr protocol x")
    }

    @Test func badBytesHaveClearErrors() {
        #expect(throws: MultiaddrError.empty) { try Multiaddr(bytes: [UInt8]()) }
        #expect(throws: MultiaddrError.truncated) { try Multiaddr(bytes: [0x04, 0x7F, 0x00]) }
        #expect(throws: MultiaddrError.truncated) { try Multiaddr(bytes: [0x36, 0x10, 0x61]) }
        #expect(throws: MultiaddrError.unknownProtocol("code 445")) { try Multiaddr(bytes: [0xBD, 0x03, 0x00]) }
        #expect(throws: MultiaddrError.self) { try Multiaddr(bytes: [0x36, 0x01, 0x2F]) }  // "/" is no DNS name
        #expect(throws: MultiaddrError.self) { try Multiaddr(bytes: [0xA5, 0x03, 0x02, 0x99, 0x00]) }  // bad multihash
    }
}

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),
        ("::", "::"), ("::1", "::1"), ("fe80::", "fe80::"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"), ("64:ff9b::1.2.3.4", "64:ff9b::102:304"),
        ("ABCD:EF01::", "abcd:ef01::"),
    ])
    func ipv6CanonicalText(input: String, canonical: String) throws {
        let address = try #require(IPv6Address(input))
        #expect(address.description == canonical)
        #expect(IPv6Address(canonical) == address)
    }

    @Test func ipv6Refusals() {
        for bad in [
            "", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::", "1:2:3:4:5:6:7", "::1%eth0",
            "::1.2.3.4.5", "1.2.3.4::",
        ] {
            #expect(IPv6Address(bad) == nil, "\(bad)")
        }
    }

    @Test func ipv4() {
        #expect(IPv4Address("0.0.0.0") == .any)
        #expect(IPv4Address("127.0.0.1")?.octets == [127, 0, 0, 1])
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.0.0.0", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.-4"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }
}
