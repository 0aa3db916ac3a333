import Testing
@testable import NimbusIPC

/// The permission table and the request/reply bookkeeping, driven without any I/O.
@Suite struct LinkEndpointTests {
    private func frame(_ message: IPCMessage, id: UInt32) -> Frame {
        Frame(type: message.type.rawValue, requestID: id, body: message.encodedBody())
    }

    @Test func pingRoundTripOnEveryLink() throws {
        for link in Link.allCases {
            var parent = LinkEndpoint(link: link, local: link.parent)
            var child = LinkEndpoint(link: link, local: link.child)
            if link.parent == .supervisor {
                let ready = child.notify(.ready(steps: []))
                #expect(try parent.receive(ready, hasDescriptor: false) == .notification(.ready(steps: [])))
            }
            let (id, ping) = try parent.request(.ping(nonce: 5))
            guard case let .request(rid, .ping(nonce)) = try child.receive(ping, hasDescriptor: false) else {
                Issue.record("ping not accepted on \(link)")
                continue
            }
            #expect(rid == id && nonce == 5)
            let pong = child.reply(to: rid, .pong(nonce: nonce))
            #expect(try parent.receive(pong, hasDescriptor: false) == .reply(id: id, .pong(nonce: 5)))
            #expect(parent.outstandingRequestIDs.isEmpty)
        }
    }

    @Test func unknownTypeIsFatal() {
        var endpoint = LinkEndpoint(link: .networkSigner, local: .signer)
        #expect(throws: IPCError.unknownType(0x7777)) {
            try endpoint.receive(Frame(type: 0x7777, requestID: 1, body: []), hasDescriptor: false)
        }
    }

    @Test func replyWithoutRequestIsFatal() {
        var network = LinkEndpoint(link: .networkSigner, local: .network)
        let reply = frame(.keyStoreStatus(KeyStoreStatus(keystoreCount: 1, schemaVersion: 1)), id: 9)
        #expect(throws: IPCError.replyWithoutRequest(type: 0x0202, requestID: 9)) {
            try network.receive(reply, hasDescriptor: false)
        }
    }

    @Test func messageOfAnotherLinkIsNotPermitted() {
        var signer = LinkEndpoint(link: .networkSigner, local: .signer)
        #expect(throws: IPCError.notPermitted(type: 0x0301, link: .networkSigner, from: .network, phase: .running)) {
            try signer.receive(frame(.installStateRequest, id: 1), hasDescriptor: false)
        }
    }

    @Test func requestFromTheWrongSideIsNotPermitted() {
        // The signer may not ask the network role for anything on this link.
        var network = LinkEndpoint(link: .networkSigner, local: .network)
        #expect(throws: IPCError.notPermitted(type: 0x0201, link: .networkSigner, from: .signer, phase: .running)) {
            try network.receive(frame(.keyStoreStatusRequest, id: 1), hasDescriptor: false)
        }
        // Only the network role may ask the supervisor for role status.
        var supervisor = LinkEndpoint(link: .supervisorSigner, local: .supervisor)
        _ = try? supervisor.receive(frame(.ready(steps: []), id: 0), hasDescriptor: false)
        #expect(throws: IPCError.notPermitted(type: 0x0104, link: .supervisorSigner, from: .signer, phase: .running)) {
            try supervisor.receive(frame(.roleStatusRequest, id: 1), hasDescriptor: false)
        }
    }

    @Test func pingBeforeReadyIsNotPermitted() {
        var child = LinkEndpoint(link: .supervisorInstaller, local: .installer)
        #expect(throws: IPCError.notPermitted(type: 0x0001, link: .supervisorInstaller, from: .supervisor, phase: .starting)) {
            try child.receive(frame(.ping(nonce: 1), id: 1), hasDescriptor: false)
        }
    }

    @Test func readyIsOnceOnly() throws {
        var supervisor = LinkEndpoint(link: .supervisorNetwork, local: .supervisor)
        _ = try supervisor.receive(frame(.ready(steps: []), id: 0), hasDescriptor: false)
        #expect(supervisor.phase == .running)
        // A second ready is both out of phase and once-only; the phase check comes first.
        #expect(throws: IPCError.notPermitted(type: 0x0101, link: .supervisorNetwork, from: .network, phase: .running)) {
            try supervisor.receive(frame(.ready(steps: []), id: 0), hasDescriptor: false)
        }
    }

    @Test func notificationWithRequestIDAndRequestWithoutAreRejected() {
        var child = LinkEndpoint(link: .supervisorSigner, local: .signer)
        #expect(throws: IPCError.unexpectedRequestID(type: 0x0102)) {
            try child.receive(frame(.shutdown, id: 3), hasDescriptor: false)
        }
        var signer = LinkEndpoint(link: .networkSigner, local: .signer)
        #expect(throws: IPCError.missingRequestID(type: 0x0201)) {
            try signer.receive(frame(.keyStoreStatusRequest, id: 0), hasDescriptor: false)
        }
    }

    @Test func duplicateIncomingRequestIDIsFatal() throws {
        var signer = LinkEndpoint(link: .networkSigner, local: .signer)
        _ = try signer.receive(frame(.keyStoreStatusRequest, id: 4), hasDescriptor: false)
        #expect(throws: IPCError.duplicateRequestID(4)) {
            try signer.receive(frame(.ping(nonce: 1), id: 4), hasDescriptor: false)
        }
    }

    @Test func tooManyOutstandingIncomingRequestsIsFatal() throws {
        var signer = LinkEndpoint(link: .networkSigner, local: .signer)
        for id in 1...UInt32(LinkEndpoint.maximumOutstanding) {
            _ = try signer.receive(frame(.ping(nonce: 1), id: id), hasDescriptor: false)
        }
        #expect(throws: IPCError.tooManyOutstanding(limit: LinkEndpoint.maximumOutstanding)) {
            try signer.receive(frame(.ping(nonce: 1), id: 999), hasDescriptor: false)
        }
    }

    @Test func wrongReplyTypeIsFatal() throws {
        var network = LinkEndpoint(link: .networkSigner, local: .network)
        let (id, _) = try network.request(.ping(nonce: 1))
        #expect(throws: IPCError.wrongReply(type: 0x0202, request: 0x0001)) {
            try network.receive(
                frame(.keyStoreStatus(KeyStoreStatus(keystoreCount: 0, schemaVersion: 1)), id: id),
                hasDescriptor: false)
        }
    }

    @Test func failureMayAnswerARequest() throws {
        var network = LinkEndpoint(link: .networkInstaller, local: .network)
        let (id, _) = try network.request(.installStateRequest)
        let failure = Failure(code: .storage, message: "disk full")
        #expect(try network.receive(frame(.failure(failure), id: id), hasDescriptor: false) == .reply(id: id, .failure(failure)))
    }

    @Test func lateReplyAfterAbandonIsDroppedOnce() throws {
        var network = LinkEndpoint(link: .networkSigner, local: .network)
        let (id, _) = try network.request(.ping(nonce: 8))
        network.abandon(id)
        #expect(try network.receive(frame(.pong(nonce: 8), id: id), hasDescriptor: false) == .lateReply(id: id))
        #expect(throws: IPCError.replyWithoutRequest(type: 0x0002, requestID: id)) {
            try network.receive(frame(.pong(nonce: 8), id: id), hasDescriptor: false)
        }
    }

    @Test func descriptorsMustMatchTheMessage() throws {
        var network = LinkEndpoint(link: .supervisorNetwork, local: .network)
        #expect(throws: IPCError.missingDescriptor(type: 0x0103)) {
            try network.receive(frame(.peerLinkReplaced(peer: .signer), id: 0), hasDescriptor: false)
        }
        #expect(throws: IPCError.unexpectedDescriptor) {
            try network.receive(frame(.shutdown, id: 0), hasDescriptor: true)
        }
        #expect(try network.receive(frame(.peerLinkReplaced(peer: .signer), id: 0), hasDescriptor: true)
            == .notification(.peerLinkReplaced(peer: .signer)))
    }

    @Test func aKeysSessionTravelsWithItsSocketFromTheNetworkRoleOnly() throws {
        let client = KeysClient(pid: 42, uid: 1000, gid: 1000)
        var signer = LinkEndpoint(link: .networkSigner, local: .signer)
        #expect(throws: IPCError.missingDescriptor(type: 0x0203)) {
            try signer.receive(frame(.keysSession(client), id: 0), hasDescriptor: false)
        }
        #expect(try signer.receive(frame(.keysSession(client), id: 0), hasDescriptor: true)
            == .notification(.keysSession(client)))
        // The signer may not push a session at the network role.
        var network = LinkEndpoint(link: .networkSigner, local: .network)
        #expect(throws: (any Error).self) {
            try network.receive(frame(.keysSession(client), id: 0), hasDescriptor: true)
        }
    }

    @Test func pairingFlowsOneWayEach() throws {
        var signer = LinkEndpoint(link: .networkSigner, local: .signer)
        var network = LinkEndpoint(link: .networkSigner, local: .network)
        // The network role delivers messages; the signer publishes and asks for the session key.
        #expect(try signer.receive(frame(.pairingMessage(topic: "/t", payload: [1]), id: 0), hasDescriptor: false)
            == .notification(.pairingMessage(topic: "/t", payload: [1])))
        #expect(throws: (any Error).self) {
            try network.receive(frame(.pairingMessage(topic: "/t", payload: [1]), id: 0), hasDescriptor: false)
        }
        #expect(throws: (any Error).self) {
            try signer.receive(frame(.pairingPublish(topic: "/t", payload: [1]), id: 0), hasDescriptor: false)
        }
        #expect(try network.receive(frame(.pairingPublish(topic: "/t", payload: [1]), id: 0), hasDescriptor: false)
            == .notification(.pairingPublish(topic: "/t", payload: [1])))
        // A device key must be 32 bytes.
        var short = WireWriter()
        short.u64(1)
        short.string("x")
        short.byteString([1, 2])
        short.bool(false)
        #expect(throws: IPCError.self) { try IPCMessage.decode(type: .deviceChange, body: short.bytes) }
    }

    @Test func peerLinkReplacedMustNameARealPeer() {
        var signer = LinkEndpoint(link: .supervisorSigner, local: .signer)
        #expect(throws: IPCError.invalidValue("signer has no link to installer")) {
            try signer.receive(frame(.peerLinkReplaced(peer: .installer), id: 0), hasDescriptor: true)
        }
    }

    @Test func malformedBodyOfAPermittedMessageIsFatal() {
        var signer = LinkEndpoint(link: .networkSigner, local: .signer)
        #expect(throws: IPCError.truncated(needed: 8, available: 3)) {
            try signer.receive(Frame(type: MessageType.ping.rawValue, requestID: 1, body: [1, 2, 3]), hasDescriptor: false)
        }
    }

    @Test func outgoingBackPressure() throws {
        var network = LinkEndpoint(link: .networkSigner, local: .network)
        for _ in 0..<LinkEndpoint.maximumOutstanding { _ = try network.request(.ping(nonce: 1)) }
        #expect(throws: IPCError.tooManyOutstanding(limit: LinkEndpoint.maximumOutstanding)) {
            try network.request(.ping(nonce: 1))
        }
    }

    @Test func fixedDescriptors() {
        #expect(FixedDescriptor.descriptor(of: .supervisorNetwork, in: .network) == 3)
        #expect(FixedDescriptor.descriptor(of: .networkSigner, in: .network) == 4)
        #expect(FixedDescriptor.descriptor(of: .networkInstaller, in: .network) == 5)
        #expect(FixedDescriptor.descriptor(of: .networkSigner, in: .signer) == 4)
        #expect(FixedDescriptor.descriptor(of: .networkInstaller, in: .signer) == nil)
    }
}
