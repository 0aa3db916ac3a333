/// One frame of a `nimbus keys` session, the conversation between a CLI and the signer over one stream socket
/// (docs/keys-session.md). Wire form: a 4-byte big-endian length of what follows, a 1-byte kind, the body.
///
/// Secrets travel in their own `secret` frames as raw bytes, never inside JSON, so that the receiver can move them
/// into locked memory and wipe every other copy it made.
public struct SessionFrame: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// Client to signer: a command (JSON, `KeysRequest`).
        case request = 0x01
        /// Either way: secret bytes (a mnemonic, a password, a passphrase; a new mnemonic to show).
        case secret = 0x02
        /// Either way: a named file (keystores and deposit data to write, keystores to import, a file to verify).
        case file = 0x03
        /// Signer to client: how far a long command has got (JSON, `KeysProgress`).
        case progress = 0x11
        /// Signer to client: a command finished (JSON, `KeysResult`).
        case result = 0x12
        /// Signer to client: a command failed (JSON, `KeysFailure`).
        case failure = 0x13
    }

    /// The largest body: a keystore is about 1 KiB and deposit data about 1 KiB per validator, so 1 MiB leaves room
    /// for the largest batch the signer accepts.
    public static let maximumBodyBytes = 1 << 20

    public var kind: Kind
    public var body: [UInt8]

    public init(_ kind: Kind, _ body: [UInt8]) {
        self.kind = kind
        self.body = body
    }

    /// The frame on the wire.
    public func encoded() -> [UInt8] {
        precondition(body.count <= Self.maximumBodyBytes, "session frame body of \(body.count) bytes")
        let length = UInt32(body.count + 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(5 + body.count)
        bytes += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        bytes.append(kind.rawValue)
        bytes += body
        return bytes
    }

    /// A file frame: a 2-byte big-endian name length, the name (a plain file name), the contents.
    public static func file(_ file: SessionFile) -> SessionFrame {
        let name = Array(file.name.utf8)
        return SessionFrame(.file, [UInt8(name.count >> 8), UInt8(name.count & 0xFF)] + name + file.contents)
    }

    /// The file this frame carries.
    public func decodeFile() throws(SessionError) -> SessionFile {
        guard kind == .file else { throw .unexpectedFrame(expected: "a file", got: kind) }
        guard body.count >= 2 else { throw .malformedFile("the frame is shorter than its name length") }
        let nameLength = Int(body[0]) << 8 | Int(body[1])
        guard body.count >= 2 + nameLength else { throw .malformedFile("the name runs past the end of the frame") }
        guard let name = String(validating: body[2..<(2 + nameLength)], as: UTF8.self) else {
            throw .malformedFile("the name is not UTF-8")
        }
        return try SessionFile(name: name, contents: Array(body[(2 + nameLength)...]))
    }
}

/// A file carried in a session. Its name is a plain file name, never a path: the receiver decides the directory.
public struct SessionFile: Sendable, Equatable {
    public var name: String
    public var contents: [UInt8]

    public init(name: String, contents: [UInt8]) throws(SessionError) {
        guard Self.isPlainName(name) else { throw .malformedFile("\"\(name.prefix(80))\" is not a plain file name") }
        self.name = name
        self.contents = contents
    }

    /// 1 to 255 bytes, no slash, no NUL or control characters, not "." or "..".
    public static func isPlainName(_ name: String) -> Bool {
        let count = name.utf8.count
        return (1...255).contains(count) && name != "." && name != ".."
            && !name.unicodeScalars.contains { $0 == "/" || $0.value < 0x20 || $0.value == 0x7F }
    }
}

/// Why a session cannot go on. Messages name what was wrong, never the bytes of a secret.
public enum SessionError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyFrame
    case oversizeFrame(bytes: Int)
    case unknownKind(UInt8)
    case truncated
    case malformedFile(String)
    case malformedJSON(what: String)
    case unexpectedFrame(expected: String, got: SessionFrame.Kind)
    case closed
    case timedOut
    /// Both sides wait for the other (a keys channel knows whose turn it is; a socket cannot tell).
    case outOfStep
    /// What carries the session failed (a keys channel's exchange over the network); the reason names no content.
    case transport(String)

    public var description: String {
        switch self {
        case .emptyFrame: "a session frame has no kind byte"
        case let .oversizeFrame(bytes): "a session frame of \(bytes) bytes exceeds the 1 MiB limit"
        case let .unknownKind(kind): "unknown session frame kind 0x\(String(kind, radix: 16))"
        case .truncated: "the session ended in the middle of a frame"
        case let .malformedFile(reason): "malformed file frame: \(reason)"
        case let .malformedJSON(what): "malformed \(what) (not the JSON the session protocol defines)"
        case let .unexpectedFrame(expected, got): "expected \(expected) frame, got a \(got) frame"
        case .closed: "the other side closed the session"
        case .timedOut: "the other side of the session stopped answering"
        case .outOfStep: "the session is out of step: the signer waits for frames this side did not send"
        case let .transport(reason): "the keys channel failed: \(reason)"
        }
    }
}

/// Cuts a byte stream into frames. Bytes it has consumed are zeroed before they are dropped, because secret frames
/// pass through its buffer.
public struct SessionFrameDecoder: Sendable {
    private var buffer: [UInt8] = []

    public init() {}

    /// Bytes received but not yet part of a whole frame.
    public var pendingBytes: Int { buffer.count }

    /// Appends `bytes` and returns every whole frame now available. A framing error ends the session: the stream
    /// cannot be resynchronised.
    public mutating func append(_ bytes: some Collection<UInt8>) throws(SessionError) -> [SessionFrame] {
        buffer.append(contentsOf: bytes)
        var frames: [SessionFrame] = []
        var offset = 0
        defer { consume(offset) }
        while buffer.count - offset >= 4 {
            let length = Int(buffer[offset]) << 24 | Int(buffer[offset + 1]) << 16 | Int(buffer[offset + 2]) << 8
                | Int(buffer[offset + 3])
            guard length > 0 else { throw .emptyFrame }
            guard length - 1 <= SessionFrame.maximumBodyBytes else { throw .oversizeFrame(bytes: length - 1) }
            guard buffer.count - offset - 4 >= length else { break }
            guard let kind = SessionFrame.Kind(rawValue: buffer[offset + 4]) else {
                throw .unknownKind(buffer[offset + 4])
            }
            frames.append(SessionFrame(kind, Array(buffer[(offset + 5)..<(offset + 4 + length)])))
            offset += 4 + length
        }
        return frames
    }

    /// Zeroes every buffered byte (call when the session ends).
    public mutating func wipe() {
        consume(buffer.count)
    }

    private mutating func consume(_ count: Int) {
        guard count > 0 else { return }
        // Copy what remains, then zero the whole old storage before releasing it: shifting in place would leave
        // stale copies of the remaining bytes in the vacated capacity.
        let rest = Array(buffer[count...])
        for index in buffer.indices { buffer[index] = 0 }
        buffer = rest
    }
}
