import NimbusKeys

/// How a pairing run ended without pairing, in words a person can act on. Never contains the code.
public enum PairingFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The device's confirmation did not match: the code was mistyped (or someone else answered). The code is dead.
    case wrongCode
    /// The device had already answered another attempt with this code.
    case codeUsed
    case codeExpired
    /// The other side's confirmation failed (from the device: our tag was wrong).
    case confirmationFailed
    case busy
    /// A CPace element was not valid.
    case invalidElement
    /// The other side's identity did not decrypt or was malformed.
    case badIdentity
    case timedOut

    public var description: String {
        switch self {
        case .wrongCode: "the code did not match (mistyped, or answered by someone else); it is now used up: make a new one on the device"
        case .codeUsed: "this code was already used; make a new one on the device"
        case .codeExpired: "this code has expired; make a new one on the device"
        case .confirmationFailed: "the other side could not confirm the code; make a new one on the device"
        case .busy: "the device is busy with another pairing; try again"
        case .invalidElement: "the other side sent an invalid key-exchange message"
        case .badIdentity: "the other side's identity could not be read"
        case .timedOut: "no answer in time; check that the device is online and showing the code, then make a new one"
        }
    }

    init(_ reason: PairingFrame.AbortReason) {
        switch reason {
        case .codeUsed: self = .codeUsed
        case .codeExpired: self = .codeExpired
        case .confirmationFailed: self = .confirmationFailed
        case .busy: self = .busy
        }
    }
}

/// The host's side of a run (the initiator): `nimbus pair <code>`. Pure: frames in, frames out; the caller publishes
/// them, subscribes to `code.contentTopic`, and calls `timedOut()` when its deadline passes.
public struct PairingHost: Sendable {
    public enum State: Sendable, Equatable {
        case awaitingReply
        case awaitingIdentity
        /// The device's identity (no signer key).
        case paired(PairingIdentity)
        case failed(PairingFailure)
    }

    public private(set) var state: State = .awaitingReply
    public let sid: [UInt8]
    private let party: CPaceParty
    private let identity: PairingIdentity
    private var keys: PairingKeys?

    /// `identity` must be a host's (with the signer key): the device pins what it receives as the host's.
    public init(
        code: PairingCode, identity: PairingIdentity, sid: [UInt8]? = nil, scalar: SecretBytes? = nil
    ) throws(PairingIdentity.Invalid) {
        guard identity.side == .host else { throw .wrongSide }
        let sid = sid ?? (0..<16).map { _ in UInt8.random(in: 0...255) }
        let prs = SecretBytes(copying: Array(code.secret.utf8))
        let ci = code.channelIdentifier
        let ad = Array("nimbus-nm host".utf8)
        party = scalar.map { CPaceParty(role: .initiator, prs: prs, ci: ci, sid: sid, associatedData: ad, scalar: $0) }
            ?? CPaceParty(role: .initiator, prs: prs, ci: ci, sid: sid, associatedData: ad)
        self.sid = sid
        self.identity = identity
    }

    /// The first frame to publish.
    public var hello: PairingFrame { PairingFrame(.hostHello, sid: sid, body: party.share) }

    /// Handles a frame from the topic; returns frames to publish. Frames of other runs and late duplicates are
    /// ignored.
    public mutating func receive(_ frame: PairingFrame) -> [PairingFrame] {
        guard frame.sid == sid else { return [] }
        switch (state, frame.kind) {
        case (.awaitingReply, .deviceReply):
            let share = Array(frame.body[0..<32])
            let tag = Array(frame.body[32..<64])
            let cpace: CPaceParty.Keys
            do {
                cpace = try party.finish(peerShare: share, peerAssociatedData: Array("nimbus-nm device".utf8))
            } catch {
                state = .failed(.invalidElement)
                return [abort(.confirmationFailed)]
            }
            let keys = PairingKeys(cpace)
            guard keys.isValidDeviceTag(tag) else {
                state = .failed(.wrongCode)
                return [abort(.confirmationFailed)]
            }
            self.keys = keys
            state = .awaitingIdentity
            let header = PairingFrame(.hostConfirm, sid: sid, body: [UInt8](repeating: 0, count: PairingFrame.Kind.hostConfirm.bodyBytes)).header
            let sealed = PairingKeys.seal(identity.plaintext(), key: keys.hostToDevice, counter: 0, header: header)
            return [PairingFrame(.hostConfirm, sid: sid, body: keys.hostTag + sealed)]
        case (.awaitingIdentity, .deviceIdentity):
            guard let keys else { return [] }
            guard let plaintext = PairingKeys.open(frame.body, key: keys.deviceToHost, counter: 0, header: frame.header),
                let device = try? PairingIdentity(plaintext: plaintext, side: .device)
            else {
                state = .failed(.badIdentity)
                return [abort(.confirmationFailed)]
            }
            state = .paired(device)
            let done = PairingFrame(.hostDone, sid: sid, body: [UInt8](repeating: 0, count: 16))
            return [PairingFrame(.hostDone, sid: sid, body: PairingKeys.seal([], key: keys.hostToDevice, counter: 1, header: done.header))]
        case (.awaitingReply, .abort), (.awaitingIdentity, .abort):
            // Unauthenticated: it can only end the run, never make the host accept anything.
            state = .failed(PairingFrame.AbortReason(rawValue: frame.body[0]).map(PairingFailure.init) ?? .confirmationFailed)
            return []
        default:
            return []
        }
    }

    public mutating func timedOut() {
        if case .awaitingReply = state { state = .failed(.timedOut) }
        if case .awaitingIdentity = state { state = .failed(.timedOut) }
    }

    private func abort(_ reason: PairingFrame.AbortReason) -> PairingFrame {
        PairingFrame(.abort, sid: sid, body: [reason.rawValue])
    }
}

/// The device's side (the responder): it made the code and waits on its topic. It answers exactly one `host_hello`;
/// after that the code is dead whatever happens.
public struct PairingDevice: Sendable {
    public enum State: Sendable, Equatable {
        case waiting
        case awaitingConfirm
        case awaitingDone(PairingIdentity)
        /// The host's identity, with the signer's channel key to pin alongside its static key.
        case paired(PairingIdentity)
        case failed(PairingFailure)
    }

    public private(set) var state: State = .waiting
    public let code: PairingCode
    private let identity: PairingIdentity
    private let scalar: SecretBytes?
    private var sid: [UInt8] = []
    private var keys: PairingKeys?

    /// `identity` must be a device's (no signer key): a host expects the device's layout.
    public init(code: PairingCode, identity: PairingIdentity, scalar: SecretBytes? = nil) throws(PairingIdentity.Invalid) {
        guard identity.side == .device else { throw .wrongSide }
        self.code = code
        self.identity = identity
        self.scalar = scalar
    }

    public mutating func receive(_ frame: PairingFrame) -> [PairingFrame] {
        switch (state, frame.kind) {
        case (.waiting, .hostHello):
            sid = frame.sid
            let prs = SecretBytes(copying: Array(code.secret.utf8))
            let ad = Array("nimbus-nm device".utf8)
            let party = scalar.map {
                CPaceParty(role: .responder, prs: prs, ci: code.channelIdentifier, sid: sid, associatedData: ad, scalar: $0)
            } ?? CPaceParty(role: .responder, prs: prs, ci: code.channelIdentifier, sid: sid, associatedData: ad)
            guard let cpace = try? party.finish(peerShare: frame.body, peerAssociatedData: Array("nimbus-nm host".utf8)) else {
                state = .failed(.invalidElement)
                return [PairingFrame(.abort, sid: sid, body: [PairingFrame.AbortReason.confirmationFailed.rawValue])]
            }
            let keys = PairingKeys(cpace)
            self.keys = keys
            state = .awaitingConfirm
            return [PairingFrame(.deviceReply, sid: sid, body: party.share + keys.deviceTag)]
        case (_, .hostHello) where frame.sid != sid:
            // Single use: whoever came first had the one attempt.
            let reason: PairingFrame.AbortReason = state == .failed(.codeExpired) ? .codeExpired : .codeUsed
            return [PairingFrame(.abort, sid: frame.sid, body: [reason.rawValue])]
        case (.awaitingConfirm, .hostConfirm) where frame.sid == sid:
            guard let keys else { return [] }
            let tag = Array(frame.body[0..<32])
            guard keys.isValidHostTag(tag) else {
                state = .failed(.confirmationFailed)
                return [PairingFrame(.abort, sid: sid, body: [PairingFrame.AbortReason.confirmationFailed.rawValue])]
            }
            guard let plaintext = PairingKeys.open(Array(frame.body[32...]), key: keys.hostToDevice, counter: 0, header: frame.header),
                let host = try? PairingIdentity(plaintext: plaintext, side: .host)
            else {
                state = .failed(.badIdentity)
                return [PairingFrame(.abort, sid: sid, body: [PairingFrame.AbortReason.confirmationFailed.rawValue])]
            }
            state = .awaitingDone(host)
            let header = PairingFrame(.deviceIdentity, sid: sid, body: [UInt8](repeating: 0, count: PairingFrame.Kind.deviceIdentity.bodyBytes)).header
            return [PairingFrame(.deviceIdentity, sid: sid,
                                 body: PairingKeys.seal(identity.plaintext(), key: keys.deviceToHost, counter: 0, header: header))]
        case (.awaitingDone(let host), .hostDone) where frame.sid == sid:
            guard let keys, PairingKeys.open(frame.body, key: keys.hostToDevice, counter: 1, header: frame.header) == [] else {
                return []
            }
            state = .paired(host)
            return []
        case (.awaitingConfirm, .abort) where frame.sid == sid, (.awaitingDone, .abort) where frame.sid == sid:
            state = .failed(PairingFrame.AbortReason(rawValue: frame.body[0]).map(PairingFailure.init) ?? .confirmationFailed)
            return []
        default:
            return []
        }
    }

    /// The code's lifetime (10 minutes) or a step's deadline passed.
    public mutating func timedOut() {
        switch state {
        case .waiting: state = .failed(.codeExpired)
        case .awaitingConfirm, .awaitingDone: state = .failed(.timedOut)
        case .paired, .failed: break
        }
    }
}
