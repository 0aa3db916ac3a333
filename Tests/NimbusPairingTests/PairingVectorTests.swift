import Foundation
import NimbusKeys
import NimbusPairing
import Testing
import NimbusTestSupport

/// `PairingVectors.json` was produced by `Oracles/pairing_reference.py`, an independent implementation written from
/// docs/pairing_protocol.md alone (its own ristretto255 from RFC 9496, `cryptography` for HKDF, HMAC and
/// ChaCha20-Poly1305). These tests replay each vector through the Swift host and device, frame by frame, and ask
/// the reference to accept the Swift frames and refuse tampered ones.
@Suite struct PairingVectorTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = directory.deletingLastPathComponent().deletingLastPathComponent()

    struct Vector: Decodable {
        struct Party: Decodable {
            var key: String
            /// Hosts only.
            var signer_key: String?
            var name: String
        }
        struct Input: Decodable {
            var code: String
            var sid: String
            var ya: String
            var yb: String
            var host: Party
            var device: Party
        }
        struct Output: Decodable {
            var content_topic: String
            var frames: [String: String]
            var device_sees_host: Party
            var host_sees_device: Party
        }
        var description: String
        var input: Input
        var output: Output
    }

    static func vectors() throws -> [Vector] {
        try JSONDecoder().decode([Vector].self, from: Data(contentsOf: directory.appendingPathComponent("PairingVectors.json")))
    }

    static func hex(_ text: String) throws -> [UInt8] { try #require(Hex.decode(text)) }

    static func identity(_ party: Vector.Party) throws -> PairingIdentity {
        try PairingIdentity(staticKey: try hex(party.key), signerKey: try party.signer_key.map(hex), name: party.name)
    }

    /// A vector's input as the reference takes it.
    static func request(_ vector: Vector) -> [String: Any] {
        [
            "code": vector.input.code, "sid": vector.input.sid, "ya": vector.input.ya, "yb": vector.input.yb,
            "host": ["key": vector.input.host.key, "signer_key": vector.input.host.signer_key ?? "", "name": vector.input.host.name],
            "device": ["key": vector.input.device.key, "name": vector.input.device.name],
        ]
    }

    @Test(arguments: try vectors().indices)
    func swiftReproducesEveryFrame(index: Int) throws {
        let vector = try Self.vectors()[index]
        let code = try PairingCode(parsing: vector.input.code)
        #expect(code.contentTopic == vector.output.content_topic)
        var host = try PairingHost(
            code: code, identity: try Self.identity(vector.input.host), sid: try Self.hex(vector.input.sid),
            scalar: SecretBytes(copying: try Self.hex(vector.input.ya)))
        var device = try PairingDevice(code: code, identity: try Self.identity(vector.input.device),
                                       scalar: SecretBytes(copying: try Self.hex(vector.input.yb)))
        let frames = vector.output.frames
        let hello = host.hello.encoded()
        #expect(Hex.encode(hello) == frames["host_hello"], "\(vector.description)")
        let reply = device.receive(try PairingFrame.decode(hello))
        #expect(reply.count == 1 && Hex.encode(reply[0].encoded()) == frames["device_reply"])
        let confirm = host.receive(reply[0])
        #expect(confirm.count == 1 && Hex.encode(confirm[0].encoded()) == frames["host_confirm"])
        let identity = device.receive(confirm[0])
        #expect(identity.count == 1 && Hex.encode(identity[0].encoded()) == frames["device_identity"])
        let done = host.receive(identity[0])
        #expect(done.count == 1 && Hex.encode(done[0].encoded()) == frames["host_done"])
        _ = device.receive(done[0])
        #expect(host.state == .paired(try Self.identity(vector.output.host_sees_device)))
        #expect(device.state == .paired(try Self.identity(vector.output.device_sees_host)))
        // Every vector's host has a signer key, so this is not the nil == nil of a device identity.
        guard case .paired(let pinned) = device.state else { return }
        #expect(pinned.signerKey != nil && pinned.signerKey.map(Hex.encode) == vector.input.host.signer_key)
    }

    /// Runs the reference with one JSON request.
    static func reference(_ request: [String: Any]) throws -> [String: Any] {
        try #require(try OraclePython.json("Tests/NimbusPairingTests/Oracles/pairing_reference.py", request) as? [String: Any])
    }

    @Test func theReferenceDecodesSwiftFramesAndAgreesOnRefusals() throws {
        let code = PairingCode.generate()
        let host = try PairingHost(code: code, identity: try PairingIdentity(
            staticKey: [UInt8](repeating: 3, count: 32), signerKey: [UInt8](repeating: 4, count: 32), name: "h"))
        let hello = host.hello
        let decoded = try Self.reference(["op": "decode", "payload": Hex.encode(hello.encoded())])
        #expect(decoded["kind"] as? Int == 1)
        #expect(decoded["sid"] as? String == Hex.encode(hello.sid))
        #expect(decoded["body"] as? String == Hex.encode(hello.body))
        // Payloads both sides must refuse.
        var bad: [[UInt8]] = []
        var padding = hello.encoded()
        padding[200] = 1
        bad.append(padding)
        var version = hello.encoded()
        version[0] = 2
        bad.append(version)
        bad.append(Array(hello.encoded().prefix(40)))
        // Longer than its padded length, even with zeros: every version-1 frame is exactly 256 bytes.
        bad.append(hello.encoded() + [UInt8](repeating: 0, count: 256))
        for payload in bad {
            let verdict = try Self.reference(["op": "decode", "payload": Hex.encode(payload)])
            #expect(verdict["error"] != nil)
            #expect(throws: PairingFrame.Invalid.self) { try PairingFrame.decode(payload) }
        }
    }

    @Test func tamperedFramesAreRefusedByTheReferenceAsByUs() throws {
        let vector = try Self.vectors()[0]
        let input = Self.request(vector)
        let code = try PairingCode(parsing: vector.input.code)
        for (frame, bit) in [("device_reply", 256), ("host_confirm", 300), ("device_identity", 8)] {
            var request = input
            request["tamper"] = frame
            request["tamper_bit"] = bit
            // The receiver refuses it and, as the protocol says for a check failed after host_hello, aborts with 3.
            let verdict = try Self.reference(request)
            #expect(verdict["error"] != nil, "\(frame)")
            #expect(verdict["abort_reason"] as? Int == 3, "\(frame): \(verdict)")

            // The same tampered frame makes the Swift receiver publish the same abort.
            var host = try PairingHost(
                code: code, identity: try Self.identity(vector.input.host), sid: try Self.hex(vector.input.sid),
                scalar: SecretBytes(copying: try Self.hex(vector.input.ya)))
            var device = try PairingDevice(code: code, identity: try Self.identity(vector.input.device),
                                           scalar: SecretBytes(copying: try Self.hex(vector.input.yb)))
            func tampered(_ sent: PairingFrame) throws -> PairingFrame {
                var bytes = sent.encoded()
                bytes[PairingFrame.headerBytes + bit / 8] ^= UInt8(1 << (bit % 8))
                return try PairingFrame.decode(bytes)
            }
            let reply = device.receive(try PairingFrame.decode(host.hello.encoded()))[0]
            var answer: [PairingFrame]
            if frame == "device_reply" {
                answer = host.receive(try tampered(reply))
            } else {
                let confirm = host.receive(reply)[0]
                if frame == "host_confirm" {
                    answer = device.receive(try tampered(confirm))
                } else {
                    answer = host.receive(try tampered(device.receive(confirm)[0]))
                }
            }
            #expect(answer.map(\.kind) == [.abort] && answer.first?.body.first == 3, "\(frame)")
        }
        // The untampered run pairs in the reference too, and each side sees the other's identity.
        let clean = try Self.reference(input)
        #expect((clean["host_sees_device"] as? [String: String])?["name"] == vector.input.device.name)
        #expect((clean["device_sees_host"] as? [String: String])?["name"] == vector.input.host.name)
        #expect((clean["device_sees_host"] as? [String: String])?["signer_key"] == vector.input.host.signer_key)
        #expect((clean["host_sees_device"] as? [String: String])?["signer_key"] == nil)
    }

    /// Host identities both implementations must refuse as receivers, and accept when well formed.
    @Test func badHostIdentitiesAreRefusedByTheReferenceAsByUs() throws {
        let vector = try Self.vectors()[0]
        let good = try Self.identity(vector.input.host).plaintext()
        var zeroSigner = good
        zeroSigner.replaceSubrange(32..<64, with: [UInt8](repeating: 0, count: 32))
        var zeroStatic = good
        zeroStatic.replaceSubrange(0..<32, with: [UInt8](repeating: 0, count: 32))
        var same = good
        same.replaceSubrange(32..<64, with: good[0..<32])
        var padding = good
        padding[128] = 1
        let device = try Self.identity(vector.input.device).plaintext()
        let cases: [(String, [UInt8], PairingIdentity.Side, PairingIdentity.Invalid?)] = [
            ("well formed", good, .host, nil),
            ("well formed device", device, .device, nil),
            ("zero signer key", zeroSigner, .host, .badSignerKey),
            ("zero static key", zeroStatic, .host, .badKey),
            ("equal keys", same, .host, .sameKeys),
            ("non-zero padding", padding, .host, .badName),
            ("a device's size", device, .host, .wrongSize),
            ("one byte short", Array(good.dropLast()), .host, .wrongSize),
            ("a host's as a device's", good, .device, .wrongSize),
        ]
        for (label, plaintext, side, refusal) in cases {
            let verdict = try Self.reference(
                ["op": "identity", "side": side == .host ? "host" : "device", "plaintext": Hex.encode(plaintext)])
            if let refusal {
                #expect(verdict["error"] != nil, "\(label)")
                #expect(throws: refusal, "\(label)") { try PairingIdentity(plaintext: plaintext, side: side) }
            } else {
                let swift = try PairingIdentity(plaintext: plaintext, side: side)
                #expect(verdict["error"] == nil, "\(label)")
                #expect(verdict["key"] as? String == Hex.encode(swift.staticKey), "\(label)")
                #expect(verdict["signer_key"] as? String == swift.signerKey.map(Hex.encode), "\(label)")
                #expect(verdict["name"] as? String == swift.name, "\(label)")
            }
        }

        // As senders, both refuse a host whose signer key is zero or is the static key.
        for signer in [String(repeating: "00", count: 32), vector.input.host.key] {
            var request = Self.request(vector)
            request["host"] = ["key": vector.input.host.key, "signer_key": signer, "name": vector.input.host.name]
            let refused = try Self.reference(request)
            #expect((refused["error"] as? String)?.hasPrefix("host: ") == true, "\(refused)")
            #expect(throws: PairingIdentity.Invalid.self) {
                try PairingIdentity(staticKey: try Self.hex(vector.input.host.key), signerKey: try Self.hex(signer), name: "h")
            }
        }
    }

    /// A host that sends both keys equal, inside a frame that authenticates: the reference's device refuses it, and
    /// so does ours, given the reference host's frames.
    @Test func aDeviceRefusesAnAuthenticatedHostIdentityWithEqualKeys() throws {
        let vector = try Self.vectors()[0]
        var same = try Self.identity(vector.input.host).plaintext()
        same.replaceSubrange(32..<64, with: same[0..<32])
        var request = Self.request(vector)
        request["host"] = [
            "key": vector.input.host.key, "signer_key": vector.input.host.signer_key ?? "", "name": vector.input.host.name,
            "identity_plaintext": Hex.encode(same),
        ]
        let refused = try Self.reference(request)
        #expect((refused["error"] as? String)?.hasPrefix("device: host identity refused") == true, "\(refused)")
        let frames = try #require(refused["frames"] as? [String: String])
        let code = try PairingCode(parsing: vector.input.code)
        var device = try PairingDevice(code: code, identity: try Self.identity(vector.input.device),
                                       scalar: SecretBytes(copying: try Self.hex(vector.input.yb)))
        let reply = device.receive(try PairingFrame.decode(try Self.hex(try #require(frames["host_hello"]))))
        #expect(reply.count == 1 && Hex.encode(reply[0].encoded()) == frames["device_reply"])
        let answer = device.receive(try PairingFrame.decode(try Self.hex(try #require(frames["host_confirm"]))))
        #expect(answer.map(\.kind) == [.abort])
        #expect(device.state == .failed(.badIdentity))
    }

    @Test func elementsWithTheTopBitSetAreRefused() throws {
        let vector = try Self.vectors()[0]
        let code = try PairingCode(parsing: vector.input.code)
        var device = try PairingDevice(code: code, identity: try Self.identity(vector.input.device))
        var hello = try PairingFrame.decode(try Self.hex(vector.output.frames["host_hello"]!))
        hello.body[31] |= 0x80
        #expect(device.receive(hello).map(\.kind) == [.abort])
        #expect(device.state == .failed(.invalidElement))
    }
}
