import Crypto
import NimbusNoise

/// An established session: the sealing of HTTP frames in both directions, and their topics. Each direction has its
/// own sequence of content topics, derived from the handshake hash and moving on every `framesPerTopic` frames (the
/// frame's counter says which), so a long session does not sit on one topic an observer can follow.
public struct EstablishedSession: Sendable {
    /// Frames sent on one topic before the sender moves to the next.
    public static let framesPerTopic: UInt64 = 64
    /// Topics a receiver listens to beyond the newest it has seen, so that a burst (a large answer) finds the
    /// subscriptions already in place.
    public static let topicsAhead: UInt64 = 3

    public let sessionID: [UInt8]
    private let handshakeHash: [UInt8]
    /// 0: device to host, 1: host to device.
    private let sendDirection: UInt8
    private var cipher: SessionCipher

    init(sessionID: [UInt8], handshake: NoiseKKHandshake, isDevice: Bool) {
        self.sessionID = sessionID
        handshakeHash = handshake.handshakeHash
        sendDirection = isDevice ? 0 : 1
        let keys = handshake.transportKeys()
        cipher = SessionCipher(sendKey: keys.send, receiveKey: keys.receive)
    }

    private var receiveDirection: UInt8 { 1 - sendDirection }

    private func topic(_ direction: UInt8, counter: UInt64) -> String {
        SessionWire.sessionTopic(handshakeHash: handshakeHash, direction: direction, epoch: counter / Self.framesPerTopic)
    }

    /// Where the next frame goes.
    public var sendTopic: String { topic(sendDirection, counter: cipher.nextSend) }

    /// The topics to listen to now: the newest epoch seen, the one before (late frames) and `topicsAhead` after.
    public var receiveTopics: [String] {
        let epoch = (cipher.highestReceived ?? 0) / Self.framesPerTopic
        return (epoch.saturatingDecrement...(epoch + Self.topicsAhead)).map {
            SessionWire.sessionTopic(handshakeHash: handshakeHash, direction: receiveDirection, epoch: $0)
        }
    }

    /// The data the seal binds a frame to: this session and the topic its counter puts it on.
    private func associatedData(_ topic: String) -> [UInt8] { sessionID + Array(topic.utf8) }

    /// A Waku payload carrying `frame`, and the content topic to publish it on.
    public mutating func seal(_ frame: HTTPFrame) throws -> (topic: String, payload: [UInt8]) {
        let topic = sendTopic
        let sealed = try cipher.seal(frame.encoded(), associatedData: associatedData(topic))
        return (topic, try SessionWire.encode(SessionWire.Frame(kind: .data, sessionID: sessionID, body: sealed)))
    }

    /// The HTTP frame in a data frame of this session that arrived on `topic`; throws for forged, replayed, moved or
    /// malformed ones.
    public mutating func open(_ frame: SessionWire.Frame, topic: String) throws -> HTTPFrame {
        guard frame.kind == .data, frame.sessionID == sessionID else { throw SessionWire.Invalid.unknownKind }
        guard let counter = SessionCipher.counter(of: frame.body), self.topic(receiveDirection, counter: counter) == topic
        else { throw SessionCipher.Failure.forged }
        return try HTTPFrame.decode(try cipher.open(frame.body, associatedData: associatedData(topic)))
    }
}

extension UInt64 {
    fileprivate var saturatingDecrement: UInt64 { self == 0 ? 0 : self - 1 }
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
        return EstablishedSession(sessionID: sessionID, handshake: handshake, isDevice: true)
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
        return (reply, EstablishedSession(sessionID: frame.sessionID, handshake: handshake, isDevice: false))
    }
}
