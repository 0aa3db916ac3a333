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
        .installStateRequest,
        .installState(InstallState(phase: .idle, activeVersion: "v24.9.0", installedVersions: ["v24.9.0"], schemaVersion: 1)),
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

    @Test func forgedArrayCountCannotReserveMemory() {
        #expect(throws: IPCError.truncated(needed: Int(UInt32.max), available: 0)) {
            try IPCMessage.decode(type: .roleStatus, body: [0xFF, 0xFF, 0xFF, 0xFF])
        }
    }
}
