import NimbusKeys
import NimbusPairing
import Testing

@Suite struct PairingRunTests {
    static let hostIdentity = try! PairingIdentity(
        staticKey: [UInt8](repeating: 0xA1, count: 32), signerKey: [UInt8](repeating: 0xC3, count: 32), name: "staking box")
    static let deviceIdentity = try! PairingIdentity(staticKey: [UInt8](repeating: 0xB2, count: 32), name: "Ana's laptop")

    /// Delivers frames between the two sides like a topic both subscribe to, until nothing more is sent.
    static func run(_ host: inout PairingHost, _ device: inout PairingDevice) {
        var toDevice = [host.hello]
        var toHost: [PairingFrame] = []
        while !toDevice.isEmpty || !toHost.isEmpty {
            // Every frame goes through the wire encoding, as it would in a Waku payload.
            for frame in toDevice { toHost += device.receive(try! PairingFrame.decode(frame.encoded())) }
            toDevice = []
            for frame in toHost { toDevice += host.receive(try! PairingFrame.decode(frame.encoded())) }
            toHost = []
        }
    }

    @Test func theRightCodePairsAndPinsBothKeys() throws {
        let code = PairingCode.generate()
        var host = try PairingHost(code: try PairingCode(parsing: code.displayText), identity: Self.hostIdentity)
        var device = try PairingDevice(code: code, identity: Self.deviceIdentity)
        Self.run(&host, &device)
        #expect(host.state == .paired(Self.deviceIdentity))
        #expect(device.state == .paired(Self.hostIdentity))
        // The device learns both of the host's keys; the host learns no signer key for a device.
        guard case .paired(let pinned) = device.state else { return }
        #expect(pinned.signerKey == [UInt8](repeating: 0xC3, count: 32))
        #expect(pinned.staticKey == [UInt8](repeating: 0xA1, count: 32))
        guard case .paired(let learned) = host.state else { return }
        #expect(learned.signerKey == nil)
    }

    @Test func eachSideNeedsItsOwnKindOfIdentity() throws {
        let code = PairingCode.generate()
        // A host without a signer key would leave the device nothing to pin for the signer.
        #expect(throws: PairingIdentity.Invalid.wrongSide) { try PairingHost(code: code, identity: Self.deviceIdentity) }
        #expect(throws: PairingIdentity.Invalid.wrongSide) { try PairingDevice(code: code, identity: Self.hostIdentity) }
    }

    @Test func aWrongCodeFailsOnBothSidesAndKillsTheCode() throws {
        let code = try PairingCode(parsing: "1234-5678-9012")
        var device = try PairingDevice(code: code, identity: Self.deviceIdentity)
        var guess = try PairingHost(code: try PairingCode(parsing: "1234-5678-9013"), identity: Self.hostIdentity)
        Self.run(&guess, &device)
        #expect(guess.state == .failed(.wrongCode))
        #expect(device.state == .failed(.confirmationFailed))
        // The person then types the right code: too late, the code is dead.
        var real = try PairingHost(code: code, identity: Self.hostIdentity)
        Self.run(&real, &device)
        #expect(real.state == .failed(.codeUsed))
        #expect(device.state == .failed(.confirmationFailed))
    }

    @Test func aRacingGuesserGetsOneTryAndTheRealHostIsToldToStartAgain() throws {
        let code = try PairingCode(parsing: "4321-0000-1111")
        var device = try PairingDevice(code: code, identity: Self.deviceIdentity)
        var attacker = try PairingHost(code: try PairingCode(parsing: "4321-9999-9999"), identity: Self.hostIdentity)
        var real = try PairingHost(code: code, identity: Self.hostIdentity)
        // Both hellos reach the device; the attacker's first.
        let replies = device.receive(attacker.hello) + device.receive(real.hello)
        #expect(replies.map(\.kind) == [.deviceReply, .abort])
        for frame in replies {
            _ = attacker.receive(frame)
            _ = real.receive(frame)
        }
        #expect(attacker.state == .failed(.wrongCode))
        #expect(real.state == .failed(.codeUsed))
        // The device never revealed its identity: it only sent a CPace element and a tag.
        #expect(replies.allSatisfy { $0.kind != .deviceIdentity })
    }

    @Test func replayedAndForeignFramesChangeNothing() throws {
        let code = PairingCode.generate()
        var host = try PairingHost(code: code, identity: Self.hostIdentity)
        var device = try PairingDevice(code: code, identity: Self.deviceIdentity)
        let reply = device.receive(host.hello)
        let confirm = host.receive(reply[0])
        let identity = device.receive(confirm[0])
        // Replays of earlier frames are ignored at every later step.
        #expect(host.receive(reply[0]).isEmpty)
        #expect(device.receive(confirm[0]).isEmpty)
        let done = host.receive(identity[0])
        #expect(host.receive(identity[0]).isEmpty)
        // A frame of another run (another sid) on the same topic is ignored.
        let other = try PairingHost(code: code, identity: Self.hostIdentity)
        var foreignDone = done[0]
        foreignDone.sid = other.sid
        #expect(device.receive(foreignDone).isEmpty)
        _ = device.receive(done[0])
        #expect(device.state == .paired(Self.hostIdentity))
        _ = other
    }

    @Test func tamperedFramesFailAuthentication() throws {
        let code = PairingCode.generate()
        var host = try PairingHost(code: code, identity: Self.hostIdentity)
        var device = try PairingDevice(code: code, identity: Self.deviceIdentity)
        let reply = device.receive(host.hello)
        var confirm = host.receive(reply[0])[0]
        confirm.body[40] ^= 1  // inside the encrypted identity
        _ = device.receive(confirm)
        #expect(device.state == .failed(.badIdentity))

        var host2 = try PairingHost(code: code, identity: Self.hostIdentity)
        var device2 = try PairingDevice(code: code, identity: Self.deviceIdentity)
        var reply2 = device2.receive(host2.hello)[0]
        reply2.body[63] ^= 1  // the device's tag
        _ = host2.receive(reply2)
        #expect(host2.state == .failed(.wrongCode))
    }

    @Test func anInvalidElementEndsTheRun() throws {
        let code = PairingCode.generate()
        var device = try PairingDevice(code: code, identity: Self.deviceIdentity)
        let bogus = PairingFrame(.hostHello, sid: [UInt8](repeating: 1, count: 16), body: [UInt8](repeating: 0, count: 32))
        #expect(device.receive(bogus).map(\.kind) == [.abort])
        #expect(device.state == .failed(.invalidElement))
    }

    @Test func timeoutsAndAbortsEndRunsWithAReason() throws {
        let code = PairingCode.generate()
        var device = try PairingDevice(code: code, identity: Self.deviceIdentity)
        device.timedOut()
        #expect(device.state == .failed(.codeExpired))
        var host = try PairingHost(code: code, identity: Self.hostIdentity)
        let answer = device.receive(host.hello)
        #expect(answer.map(\.kind) == [.abort])
        _ = host.receive(answer[0])
        #expect(host.state == .failed(.codeExpired))
        var waiting = try PairingHost(code: code, identity: Self.hostIdentity)
        waiting.timedOut()
        #expect(waiting.state == .failed(.timedOut))
        #expect(!PairingFailure.wrongCode.description.contains(code.secret))
    }

    @Test func codesParseInBothFormsAndNeverPrintTheSecret() throws {
        let code = try PairingCode(parsing: " 1234 5678-9012 ")
        #expect(code.nameplate == "1234" && code.secret == "56789012")
        #expect(code.displayText == "1234-5678-9012")
        #expect("\(code)" == "PairingCode(nameplate 1234, secret redacted)")
        let uuid = try PairingCode(parsing: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")
        #expect(uuid.nameplate == "0f1e2d3c" && uuid.secret == "4b5a69788796a5b4c3d2e1f0")
        for bad in ["", "1234-5678-901", "1234-5678-90123", "abcd-5678-9012", "0F1E2D3C4B5A69788796A5B4C3D2E1F0",
                    "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1FG", "١٢٣٤٥٦٧٨٩٠١٢"] {
            #expect(throws: PairingCode.Invalid.wrongShape, "\(bad)") { try PairingCode(parsing: bad) }
        }
        #expect(code.contentTopic.hasPrefix("/nimbus-nm/1/pair-") && code.contentTopic.hasSuffix("/proto"))
        #expect(code.contentTopic == (try PairingCode(parsing: "1234-0000-0000")).contentTopic)
        #expect(code.contentTopic != (try PairingCode(parsing: "1235-5678-9012")).contentTopic)
    }

    @Test func framesDecodeStrictly() throws {
        let frame = PairingFrame(.abort, sid: [UInt8](repeating: 7, count: 16), body: [1])
        let wire = frame.encoded()
        #expect(wire.count == 256)
        #expect(try PairingFrame.decode(wire) == frame)
        #expect(throws: PairingFrame.Invalid.tooShort) { try PairingFrame.decode(Array(wire.prefix(10))) }
        #expect(throws: PairingFrame.Invalid.paddingLength) { try PairingFrame.decode(Array(wire.prefix(200))) }
        #expect(throws: PairingFrame.Invalid.paddingLength) { try PairingFrame.decode(wire + [0]) }
        var padded = wire
        padded[255] = 1
        #expect(throws: PairingFrame.Invalid.nonZeroPadding) { try PairingFrame.decode(padded) }
        var version = wire
        version[0] = 2
        #expect(throws: PairingFrame.Invalid.unsupportedVersion(2)) { try PairingFrame.decode(version) }
        var kind = wire
        kind[1] = 9
        #expect(throws: PairingFrame.Invalid.unknownKind(9)) { try PairingFrame.decode(kind) }
    }

    @Test func identitiesAreFixedSizeAndChecked() throws {
        let plaintext = Self.deviceIdentity.plaintext()
        #expect(plaintext.count == 97 && PairingIdentity.Side.device.plaintextBytes == 97)
        #expect(try PairingIdentity(plaintext: plaintext, side: .device) == Self.deviceIdentity)
        #expect(throws: PairingIdentity.Invalid.badName) {
            try PairingIdentity(staticKey: [UInt8](repeating: 1, count: 32), name: String(repeating: "é", count: 33))
        }
        #expect(throws: PairingIdentity.Invalid.badKey) { try PairingIdentity(staticKey: [UInt8](repeating: 0, count: 32), name: "x") }
        var sloppy = plaintext
        sloppy[96] = 1
        #expect(throws: PairingIdentity.Invalid.badName) { try PairingIdentity(plaintext: sloppy, side: .device) }
        var long = plaintext
        long[32] = 65
        #expect(throws: PairingIdentity.Invalid.badName) { try PairingIdentity(plaintext: long, side: .device) }
        // Each side's layout only: a device's record is not a host's, nor the other way round.
        #expect(throws: PairingIdentity.Invalid.wrongSize) { try PairingIdentity(plaintext: plaintext, side: .host) }
        #expect(throws: PairingIdentity.Invalid.wrongSize) {
            try PairingIdentity(plaintext: Self.hostIdentity.plaintext(), side: .device)
        }
    }

    @Test func hostIdentitiesCarryADistinctNonZeroSignerKey() throws {
        let plaintext = Self.hostIdentity.plaintext()
        #expect(plaintext.count == 129 && PairingIdentity.Side.host.plaintextBytes == 129)
        #expect(Array(plaintext[0..<32]) == Self.hostIdentity.staticKey)
        #expect(Array(plaintext[32..<64]) == Self.hostIdentity.signerKey)
        #expect(plaintext[64] == 11 && Array(plaintext[65..<76]) == Array("staking box".utf8))
        #expect(try PairingIdentity(plaintext: plaintext, side: .host) == Self.hostIdentity)

        // The sender refuses these...
        let key = [UInt8](repeating: 0xA1, count: 32)
        #expect(throws: PairingIdentity.Invalid.badSignerKey) {
            try PairingIdentity(staticKey: key, signerKey: [UInt8](repeating: 0, count: 32), name: "h")
        }
        #expect(throws: PairingIdentity.Invalid.badSignerKey) {
            try PairingIdentity(staticKey: key, signerKey: [UInt8](repeating: 1, count: 31), name: "h")
        }
        #expect(throws: PairingIdentity.Invalid.sameKeys) { try PairingIdentity(staticKey: key, signerKey: key, name: "h") }
        // ...and the receiver too.
        var zeroSigner = plaintext
        for index in 32..<64 { zeroSigner[index] = 0 }
        #expect(throws: PairingIdentity.Invalid.badSignerKey) { try PairingIdentity(plaintext: zeroSigner, side: .host) }
        var zeroStatic = plaintext
        for index in 0..<32 { zeroStatic[index] = 0 }
        #expect(throws: PairingIdentity.Invalid.badKey) { try PairingIdentity(plaintext: zeroStatic, side: .host) }
        var same = plaintext
        same.replaceSubrange(32..<64, with: key)
        #expect(throws: PairingIdentity.Invalid.sameKeys) { try PairingIdentity(plaintext: same, side: .host) }
        var sloppy = plaintext
        sloppy[128] = 1
        #expect(throws: PairingIdentity.Invalid.badName) { try PairingIdentity(plaintext: sloppy, side: .host) }
        var long = plaintext
        long[64] = 65
        #expect(throws: PairingIdentity.Invalid.badName) { try PairingIdentity(plaintext: long, side: .host) }
        #expect(throws: PairingIdentity.Invalid.wrongSize) { try PairingIdentity(plaintext: plaintext + [0], side: .host) }
    }
}
