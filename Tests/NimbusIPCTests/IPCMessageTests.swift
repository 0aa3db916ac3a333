import Testing
@testable import NimbusIPC

@Suite struct IPCMessageTests {
    static let samples: [IPCMessage] = [
        .ping(nonce: 0xDEAD_BEEF),
        .pong(nonce: 1),
        .failure(Failure(code: .storage, message: "database is locked")),
        .ready(steps: [SandboxStepReport(name: "seccomp", inForce: true, detail: "policy network.policy, kill")]),
        .shutdown,
        .peerLinkReplaced(peer: .signer),
        .roleStatusRequest,
        .roleStatus([
            RoleInfo(
                role: .signer, state: .running, pid: 1234, user: "nimbus-signer", uid: 998, restarts: 2,
                lastExit: "killed by signal 9 (SIGKILL)", startedAtMillis: 1_700_000_000_000,
                observed: ObservedSandbox(
                    seccompMode: 2, noNewPrivs: true, capEff: 0, capBnd: 0, netNamespace: "net:[4026532000]",
                    ownNetNamespace: true),
                reported: [SandboxStepReport(name: "landlock", inForce: false, detail: "kernel lacks it")]),
            RoleInfo(
                role: .network, state: .restarting, pid: 0, user: "nimbus-nm", uid: 997, restarts: 0, lastExit: "",
                startedAtMillis: 0, observed: nil, reported: []),
        ]),
        .keyStoreStatusRequest,
        .keyStoreStatus(KeyStoreStatus(keystoreCount: 3, schemaVersion: 1)),
        .keysSession(KeysClient(pid: -1, uid: 1000, gid: 998)),
        .pairingTopic(topic: "/nimbus-nm/1/pair-0123456789abcdef/proto", subscribe: true),
        .pairingPublish(topic: "/nimbus-nm/1/pair-0123456789abcdef/proto", payload: [1, 2, 3]),
        .pairingMessage(topic: "/t", payload: []),
        .hostKeyRequest,
        .hostKey([UInt8](repeating: 7, count: 32)),
        .deviceChange(DeviceChange(id: 3, name: "Ana's laptop", staticKey: [UInt8](repeating: 9, count: 32), revoked: false)),
        .networkPairedDevice(NetworkPairedDevice(name: "nimbus-gui", staticKey: [UInt8](repeating: 5, count: 32))),
        .keyListRequest,
        .keyList([KeyListEntry(pubkey: [UInt8](repeating: 0xA1, count: 48), path: "m/12381/3600/0/0/0", source: .generated,
                               createdAtMillis: 1_700_000_000_000)]),
        .installStateRequest,
        .installState(InstallState(phase: .idle, activeVersion: "v24.9.0", installedVersions: ["v24.9.0"], schemaVersion: 1)),
        .nodeProcessesRequest,
        .nodeProcesses([
            NodeProcessState(
                name: "hoodi", phase: .running, pid: 4242, restarts: 2, sinceMillis: 1_700_000_000_000,
                restartAtMillis: 0, lastExitCode: 1, lastExitSignal: 0, lastExitAtMillis: 1_699_999_999_000,
                lastError: ""),
            NodeProcessState(
                name: "mainnet", phase: .held, pid: 0, restarts: 0, sinceMillis: 0, restartAtMillis: 0,
                lastExitCode: 129, lastExitSignal: 0, lastExitAtMillis: 1_700_000_000_500, lastError: ""),
        ]),
        .nodeControl(NodeControl(name: "hoodi", action: .restart)),
        .latestReleaseRequest,
        .releaseDocument(ReleaseDocument(status: 200, body: Array(#"{"tag_name":"v24.9.0"}"#.utf8))),
        .keysChannelOpen(KeysChannelOpen(device: 4, handshake: [UInt8](repeating: 1, count: 48))),
        .keysChannelOpened(KeysChannelOpened(channel: [UInt8](repeating: 2, count: 16), handshake: [UInt8](repeating: 3, count: 48))),
        .keysChannelExchange(KeysChannelExchange(
            channel: KeysChannelRef(device: 4, channel: [UInt8](repeating: 2, count: 16)), messages: [[1, 2], [], [3]])),
        .keysChannelOutput(KeysChannelOutput(turn: .working, messages: [[UInt8](repeating: 9, count: 40)])),
        .keysChannelClose(KeysChannelRef(device: 4, channel: [UInt8](repeating: 2, count: 16))),
    ]

    @Test func everyTypeHasASample() {
        #expect(Set(Self.samples.map(\.type)) == Set(MessageType.allCases))
    }

    @Test(arguments: samples)
    func roundTrips(message: IPCMessage) throws {
        #expect(try IPCMessage.decode(type: message.type, body: message.encodedBody()) == message)
    }

    @Test(arguments: samples)
    func trailingByteIsRejected(message: IPCMessage) {
        #expect(throws: IPCError.trailingBytes(1)) {
            try IPCMessage.decode(type: message.type, body: message.encodedBody() + [0])
        }
    }

    @Test(arguments: samples.filter { !$0.encodedBody().isEmpty })
    func everyTruncationIsRejected(message: IPCMessage) {
        let body = message.encodedBody()
        for length in 0..<body.count {
            #expect(throws: IPCError.self) { try IPCMessage.decode(type: message.type, body: Array(body.prefix(length))) }
        }
    }

    @Test func invalidEnumAndBoolAndUTF8AreRejected() {
        #expect(throws: IPCError.invalidEnum(field: "peer", value: 9)) {
            try IPCMessage.decode(type: .peerLinkReplaced, body: [9])
        }
        var writer = WireWriter()
        writer.u32(1)
        writer.string("x")
        writer.u8(2)
        writer.string("")
        #expect(throws: IPCError.invalidEnum(field: "bool", value: 2)) {
            try IPCMessage.decode(type: .ready, body: writer.bytes)
        }
        #expect(throws: IPCError.invalidUTF8) {
            try IPCMessage.decode(type: .failure, body: [0, 1, 0, 0, 0, 2, 0xC3, 0x28])
        }
    }

    /// A node process report must make sense, not only parse: a pid exactly while a process runs, a real exit
    /// status, a named node.
    @Test func nodeProcessReportsThatMakeNoSenseAreRejected() {
        func body(phase: NodeProcessState.Phase, pid: UInt32, code: Int32 = -1, signal: Int32 = 0, name: String = "n")
            -> [UInt8]
        {
            IPCMessage.nodeProcesses([
                NodeProcessState(
                    name: name, phase: phase, pid: pid, restarts: 0, sinceMillis: 0, restartAtMillis: 0,
                    lastExitCode: code, lastExitSignal: signal, lastExitAtMillis: 0, lastError: "")
            ]).encodedBody()
        }
        #expect(throws: IPCError.invalidValue("a running node needs pid")) {
            try IPCMessage.decode(type: .nodeProcesses, body: body(phase: .running, pid: 0))
        }
        #expect(throws: IPCError.invalidValue("a held node has no pid")) {
            try IPCMessage.decode(type: .nodeProcesses, body: body(phase: .held, pid: 7))
        }
        #expect(throws: IPCError.invalidValue("an exit status is -1...255 and a signal 0...64")) {
            try IPCMessage.decode(type: .nodeProcesses, body: body(phase: .stopped, pid: 0, code: 300))
        }
        #expect(throws: IPCError.invalidValue("a node name is 1 to 64 bytes")) {
            try IPCMessage.decode(type: .nodeProcesses, body: body(phase: .stopped, pid: 0, name: ""))
        }
        #expect(throws: IPCError.invalidValue("an HTTP status is 100...599, not 42")) {
            try IPCMessage.decode(type: .releaseDocument, body: IPCMessage.releaseDocument(ReleaseDocument(status: 42, body: [])).encodedBody())
        }
        #expect(throws: IPCError.invalidValue("a device key is 32 bytes, not 31")) {
            try IPCMessage.decode(type: .networkPairedDevice, body: IPCMessage.networkPairedDevice(
                NetworkPairedDevice(name: "gui", staticKey: [UInt8](repeating: 1, count: 31))).encodedBody())
        }
        #expect(throws: IPCError.invalidValue("a device name is 1 to 64 bytes")) {
            try IPCMessage.decode(type: .networkPairedDevice, body: IPCMessage.networkPairedDevice(
                NetworkPairedDevice(name: "", staticKey: [UInt8](repeating: 1, count: 32))).encodedBody())
        }
        #expect(throws: IPCError.invalidValue("a BLS public key is 48 bytes, not 32")) {
            try IPCMessage.decode(type: .keyList, body: IPCMessage.keyList([KeyListEntry(
                pubkey: [UInt8](repeating: 1, count: 32), path: "", source: .imported, createdAtMillis: 0)]).encodedBody())
        }
        #expect(throws: IPCError.invalidEnum(field: "node control action", value: 0)) {
            try IPCMessage.decode(type: .nodeControl, body: [0, 0, 0, 1, 0x6E, 0])
        }
    }

    /// Keys-channel payloads: fixed sizes for ids and handshakes, Noise's limit per message, 512 KiB per exchange.
    @Test func keysChannelPayloadsOutsideTheirLimitsAreRejected() {
        let channel = [UInt8](repeating: 2, count: 16)
        #expect(throws: IPCError.invalidValue("a keys-channel handshake message is 48 bytes, not 47")) {
            try IPCMessage.decode(type: .keysChannelOpen, body: IPCMessage.keysChannelOpen(
                KeysChannelOpen(device: 1, handshake: [UInt8](repeating: 1, count: 47))).encodedBody())
        }
        #expect(throws: IPCError.invalidValue("a keys-channel id is 16 bytes, not 15")) {
            try IPCMessage.decode(type: .keysChannelClose, body: IPCMessage.keysChannelClose(
                KeysChannelRef(device: 1, channel: Array(channel.prefix(15)))).encodedBody())
        }
        #expect(throws: IPCError.invalidValue("a keys-channel message is at most 65535 bytes, not 65536")) {
            try IPCMessage.decode(type: .keysChannelExchange, body: IPCMessage.keysChannelExchange(KeysChannelExchange(
                channel: KeysChannelRef(device: 1, channel: channel), messages: [[UInt8](repeating: 0, count: 65536)])).encodedBody())
        }
        let nine = [[UInt8]](repeating: [UInt8](repeating: 0, count: 65535), count: 9)
        #expect(throws: IPCError.invalidValue("a keys-channel exchange carries at most 512 KiB")) {
            try IPCMessage.decode(type: .keysChannelOutput, body: IPCMessage.keysChannelOutput(
                KeysChannelOutput(turn: .waiting, messages: nine)).encodedBody())
        }
        #expect(throws: IPCError.invalidEnum(field: "turn", value: 3)) {
            try IPCMessage.decode(type: .keysChannelOutput, body: [3, 0, 0, 0, 0])
        }
    }

    @Test func forgedArrayCountCannotReserveMemory() {
        #expect(throws: IPCError.truncated(needed: Int(UInt32.max), available: 0)) {
            try IPCMessage.decode(type: .roleStatus, body: [0xFF, 0xFF, 0xFF, 0xFF])
        }
    }
}
