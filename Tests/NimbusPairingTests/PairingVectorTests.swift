import Foundation
import NimbusKeys
import NimbusPairing
import Testing

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
        try PairingIdentity(staticKey: try hex(party.key), name: party.name)
    }

    @Test(arguments: try vectors().indices)
    func swiftReproducesEveryFrame(index: Int) throws {
        let vector = try Self.vectors()[index]
        let code = try PairingCode(parsing: vector.input.code)
        #expect(code.contentTopic == vector.output.content_topic)
        var host = PairingHost(code: code, identity: try Self.identity(vector.input.host), sid: try Self.hex(vector.input.sid),
                               scalar: SecretBytes(copying: try Self.hex(vector.input.ya)))
        var device = PairingDevice(code: code, identity: try Self.identity(vector.input.device),
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
        #expect(host.state == .paired(try Self.identity(vector.input.device)))
        #expect(device.state == .paired(try Self.identity(vector.input.host)))
    }

    /// Runs the reference with one JSON request.
    static func reference(_ request: [String: Any]) throws -> [String: Any] {
        let python = ProcessInfo.processInfo.environment["NIMBUS_ORACLE_PYTHON"]
            ?? repository.appendingPathComponent(".venv/bin/python3").path
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no Python at \(python): run scripts/oracles (CI does) or set NIMBUS_ORACLE_PYTHON")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [directory.appendingPathComponent("Oracles/pairing_reference.py").path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the pairing reference crashed")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theReferenceDecodesSwiftFramesAndAgreesOnRefusals() throws {
        let code = PairingCode.generate()
        var host = PairingHost(code: code, identity: try PairingIdentity(staticKey: [UInt8](repeating: 3, count: 32), name: "h"))
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
        for payload in bad {
            let verdict = try Self.reference(["op": "decode", "payload": Hex.encode(payload)])
            #expect(verdict["error"] != nil)
            #expect(throws: PairingFrame.Invalid.self) { try PairingFrame.decode(payload) }
        }
    }

    @Test func tamperedFramesAreRefusedByTheReferenceAsByUs() throws {
        let vector = try Self.vectors()[0]
        let input: [String: Any] = [
            "code": vector.input.code, "sid": vector.input.sid, "ya": vector.input.ya, "yb": vector.input.yb,
            "host": ["key": vector.input.host.key, "name": vector.input.host.name],
            "device": ["key": vector.input.device.key, "name": vector.input.device.name],
        ]
        for (frame, bit) in [("device_reply", 256), ("host_confirm", 300), ("device_identity", 8)] {
            var request = input
            request["tamper"] = frame
            request["tamper_bit"] = bit
            #expect(try Self.reference(request)["error"] != nil, "\(frame)")
        }
        // The untampered run pairs in the reference too, and each side sees the other's identity.
        let clean = try Self.reference(input)
        #expect((clean["host_sees_device"] as? [String: String])?["name"] == vector.input.device.name)
        #expect((clean["device_sees_host"] as? [String: String])?["name"] == vector.input.host.name)
    }

    @Test func elementsWithTheTopBitSetAreRefused() throws {
        let vector = try Self.vectors()[0]
        let code = try PairingCode(parsing: vector.input.code)
        var device = PairingDevice(code: code, identity: try Self.identity(vector.input.device))
        var hello = try PairingFrame.decode(try Self.hex(vector.output.frames["host_hello"]!))
        hello.body[31] |= 0x80
        #expect(device.receive(hello).map(\.kind) == [.abort])
        #expect(device.state == .failed(.invalidElement))
    }
}
