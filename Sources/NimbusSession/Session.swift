import Crypto
import NimbusLibp2p

/// An established session: the data topic and the sealing of HTTP frames in both directions.
public struct EstablishedSession: Sendable {
    public let sessionID: [UInt8]
    public let topic: String
    private var cipher: SessionCipher

    init(sessionID: [UInt8], handshake: NoiseKKHandshake) {
        self.sessionID = sessionID
        topic = SessionWire.sessionTopic(handshakeHash: handshake.handshakeHash)
        let keys = handshake.transportKeys()
        cipher = SessionCipher(sendKey: keys.send, receiveKey: keys.receive)
    }

    /// The data the seal binds a frame to: this session and its topic.
    private var associatedData: [UInt8] { sessionID + Array(topic.utf8) }

    /// A Waku payload carrying `frame`.
    public mutating func seal(_ frame: HTTPFrame) throws -> [UInt8] {
        let sealed = try cipher.seal(frame.encoded(), associatedData: associatedData)
        return try SessionWire.encode(SessionWire.Frame(kind: .data, sessionID: sessionID, body: sealed))
    }

    /// The HTTP frame in a data frame of this session; throws for forged, replayed or malformed ones.
    public mutating func open(_ frame: SessionWire.Frame) throws -> HTTPFrame {
        guard frame.kind == .data, frame.sessionID == sessionID else { throw SessionWire.Invalid.unknownKind }
        return try HTTPFrame.decode(try cipher.open(frame.body, associatedData: associatedData))
    }
}

/// The device's side of opening a session with a pinned host.
public struct SessionInitiator: Sendable {
    public let sessionID: [UInt8]
    public let inboxTopic: String
    private var handshake: NoiseKKHandshake
    /// The first message, kept so that a retry sends the same bytes (the host answers a repeat with its reply).
    public let hello: [UInt8]

    public init(deviceKey: [UInt8], devicePublicKey: [UInt8], hostKey: [UInt8]) throws {
        sessionID = (0..<16).map { _ in UInt8.random(in: 0...255) }
        inboxTopic = SessionWire.inboxTopic(hostKey: hostKey, deviceKey: devicePublicKey)
        handshake = try NoiseKKHandshake(
            isInitiator: true, staticKey: deviceKey, remoteStaticKey: hostKey, prologue: Self.prologue)
        let message = try handshake.writeMessage(payload: [])
        hello = try SessionWire.encode(SessionWire.Frame(kind: .handshake1, sessionID: sessionID, body: message))
    }

    /// Finishes with the host's answer.
    public mutating func finish(_ frame: SessionWire.Frame) throws -> EstablishedSession {
        guard frame.kind == .handshake2, frame.sessionID == sessionID else { throw SessionWire.Invalid.unknownKind }
        _ = try handshake.readMessage(frame.body)
        return EstablishedSession(sessionID: sessionID, handshake: handshake)
    }

    static let prologue = Array("nimbus-nm session v1".utf8)
}

/// The host's side: answers a device's first message, if it proves the pinned device key.
public enum SessionResponder {
    public static func respond(
        hostKey: [UInt8], deviceKey: [UInt8], to frame: SessionWire.Frame
    ) throws -> (reply: [UInt8], session: EstablishedSession) {
        guard frame.kind == .handshake1 else { throw SessionWire.Invalid.unknownKind }
        var handshake = try NoiseKKHandshake(
            isInitiator: false, staticKey: hostKey, remoteStaticKey: deviceKey, prologue: SessionInitiator.prologue)
        _ = try handshake.readMessage(frame.body)
        let message = try handshake.writeMessage(payload: [])
        let reply = try SessionWire.encode(SessionWire.Frame(kind: .handshake2, sessionID: frame.sessionID, body: message))
        return (reply, EstablishedSession(sessionID: frame.sessionID, handshake: handshake))
    }
}
