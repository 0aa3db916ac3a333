import Testing

@testable import NimbusLibp2p

@Suite struct MultistreamTests {
    typealias Action = MultistreamNegotiation.Action

    /// Runs two negotiations against each other, feeding each side's output to the other as `feeding` says.
    static func run(
        _ initiator: inout MultistreamNegotiation, _ responder: inout MultistreamNegotiation, feeding: Feeding,
        initiatorExtra: [UInt8] = []
    ) -> (initiator: [Action], responder: [Action], afterResponder: [UInt8]) {
        var afterResponder: [UInt8] = []
        var initiatorLog: [Action] = []
        var responderLog: [Action] = []
        var toResponder: [UInt8] = []
        var toInitiator: [UInt8] = []
        func absorb(_ actions: [Action], into log: inout [Action], outbox: inout [UInt8]) {
            for action in actions {
                if case .send(let bytes) = action { outbox += bytes } else { log.append(action) }
            }
        }
        absorb(initiator.start(), into: &initiatorLog, outbox: &toResponder)
        toResponder += initiatorExtra
        absorb(responder.start(), into: &responderLog, outbox: &toInitiator)
        var rounds = 0
        while (!toResponder.isEmpty || !toInitiator.isEmpty) && rounds < 100 {
            rounds += 1
            let forResponder = toResponder
            toResponder = []
            for chunk in feeding.split(forResponder) {
                // Once agreed, bytes belong to the protocol; a driver hands them over without the machine.
                if responder.isFinished {
                    afterResponder += chunk
                    continue
                }
                absorb(responder.receive(chunk), into: &responderLog, outbox: &toInitiator)
            }
            let forInitiator = toInitiator
            toInitiator = []
            for chunk in feeding.split(forInitiator) {
                absorb(initiator.receive(chunk), into: &initiatorLog, outbox: &toResponder)
            }
        }
        return (initiatorLog, responderLog, afterResponder)
    }

    @Test(arguments: Feeding.allCases) func agreesOnTheFirstSupportedProtocol(feeding: Feeding) {
        var initiator = MultistreamNegotiation(proposing: ["/yamux/1.0.0", "/mplex/6.7.0"])
        var responder = MultistreamNegotiation(supporting: ["/mplex/6.7.0"])
        let (i, r, _) = Self.run(&initiator, &responder, feeding: feeding)
        #expect(i == [.agreed(protocol: "/mplex/6.7.0", remainder: [])])
        #expect(r == [.agreed(protocol: "/mplex/6.7.0", remainder: [])])
    }

    @Test(arguments: Feeding.allCases) func dataAfterTheProposalIsHandedOver(feeding: Feeding) {
        var initiator = MultistreamNegotiation(proposing: ["/echo/1.0.0"])
        var responder = MultistreamNegotiation(supporting: ["/echo/1.0.0"])
        // Optimistic use: application bytes follow the proposal before any answer.
        let (_, r, after) = Self.run(&initiator, &responder, feeding: feeding, initiatorExtra: [1, 2, 3])
        guard case .agreed(let id, let remainder) = r.first else {
            Issue.record("no agreement: \(r)")
            return
        }
        #expect(id == "/echo/1.0.0")
        // Whatever the split, the bytes after the proposal come out once, in order.
        #expect(remainder + after == [1, 2, 3])
    }

    @Test func initiatorSendsHeaderAndProposalTogether() {
        var initiator = MultistreamNegotiation(proposing: ["/noise"])
        #expect(
            initiator.start() == [
                .send(MultistreamMessage.encode("/multistream/1.0.0") + MultistreamMessage.encode("/noise"))
            ])
        #expect(MultistreamMessage.encode("/noise") == [7] + Array("/noise\n".utf8))
    }

    @Test func noCommonProtocol() {
        var initiator = MultistreamNegotiation(proposing: ["/a", "/b"])
        var responder = MultistreamNegotiation(supporting: ["/c"])
        let (i, _, _) = Self.run(&initiator, &responder, feeding: .batched)
        #expect(i == [.failed(.noCommonProtocol(["/a", "/b"]))])
    }

    @Test func responderAnswersLsWithNa() {
        var responder = MultistreamNegotiation(supporting: ["/a"])
        _ = responder.start()
        let actions = responder.receive(
            MultistreamMessage.encode("/multistream/1.0.0") + MultistreamMessage.encode("ls"))
        #expect(actions == [.send(MultistreamMessage.encode("na"))])
    }

    @Test func tooManyProposals() {
        var responder = MultistreamNegotiation(supporting: ["/a"], maxProposals: 3)
        _ = responder.start()
        var input = MultistreamMessage.encode("/multistream/1.0.0")
        for index in 0..<4 { input += MultistreamMessage.encode("/x/\(index)") }
        let actions = responder.receive(input)
        #expect(actions.last == .failed(.tooManyProposals(4)))
        #expect(responder.isFinished)
    }

    @Test func badInputsHaveClearErrors() {
        func responderFailure(_ bytes: [UInt8]) -> MultistreamError? {
            var responder = MultistreamNegotiation(supporting: ["/a"])
            _ = responder.start()
            for case .failed(let error) in responder.receive(bytes) { return error }
            return nil
        }
        // HTTP instead of a header: refused at the first byte.
        #expect(
            responderFailure(Array("GET / HTTP/1.1\r\n".utf8))
                == .malformedMessage("first message is 71 bytes, not the 19-byte header"))
        // A header of the right length but the wrong text.
        #expect(
            responderFailure(MultistreamMessage.encode("/multistream/2.0.0")) == .unexpectedHeader("/multistream/2.0.0")
        )
        // A message without its newline.
        #expect(
            responderFailure(MultistreamMessage.encode("/multistream/1.0.0") + [3] + Array("/ab".utf8))
                == .malformedMessage("message does not end in a newline"))
        // A length above the limit is refused before its body arrives.
        #expect(
            responderFailure(MultistreamMessage.encode("/multistream/1.0.0") + [0x80, 0x10])
                == .messageTooLong(length: 2048, limit: 1024))
        #expect(
            responderFailure(MultistreamMessage.encode("/multistream/1.0.0") + [2, 0xFF, 0x0A])
                == .malformedMessage("message is not UTF-8"))
        // The initiator refuses an answer that is neither its proposal nor "na".
        var initiator = MultistreamNegotiation(proposing: ["/a"])
        _ = initiator.start()
        let answer = initiator.receive(
            MultistreamMessage.encode("/multistream/1.0.0") + MultistreamMessage.encode("/b"))
        #expect(answer == [.failed(.unexpectedResponse("/b"))])
        #expect(MultistreamError.unexpectedResponse("/b").description == "multistream: unexpected response (2 bytes)")
    }
}
