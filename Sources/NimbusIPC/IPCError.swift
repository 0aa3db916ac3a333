/// Why a peer's bytes were rejected. Every case is a protocol violation: the receiving child exits, or the
/// supervisor kills the child that sent them. The descriptions name the fault, never the payload.
public enum IPCError: Error, Sendable, Equatable, CustomStringConvertible {
    case oversize(length: Int, limit: Int)
    case reservedFlags(UInt16)
    case truncated(needed: Int, available: Int)
    case trailingBytes(Int)
    case invalidUTF8
    case invalidEnum(field: String, value: UInt64)
    case unknownType(UInt16)
    case notPermitted(type: UInt16, link: Link, from: Role, phase: LinkPhase)
    case onceOnly(type: UInt16)
    case missingRequestID(type: UInt16)
    case unexpectedRequestID(type: UInt16)
    case duplicateRequestID(UInt32)
    case replyWithoutRequest(type: UInt16, requestID: UInt32)
    case wrongReply(type: UInt16, request: UInt16)
    case tooManyOutstanding(limit: Int)
    case missingDescriptor(type: UInt16)
    case unexpectedDescriptor
    case invalidValue(String)

    public var description: String {
        switch self {
        case let .oversize(length, limit): "frame of \(length) bytes exceeds the \(limit)-byte limit"
        case let .reservedFlags(flags): "reserved header flags set (0x\(hex(flags)))"
        case let .truncated(needed, available): "body truncated: needed \(needed) more bytes, \(available) left"
        case let .trailingBytes(count): "\(count) unexpected bytes after the body"
        case .invalidUTF8: "string field is not valid UTF-8"
        case let .invalidEnum(field, value): "invalid value \(value) for \(field)"
        case let .unknownType(type): "unknown message type 0x\(hex(type))"
        case let .notPermitted(type, link, from, phase):
            "message \(MessageType(rawValue: type).map { "\($0)" } ?? "0x\(hex(type))") from \(from) is not permitted "
                + "on link \(link) in phase \(phase)"
        case let .onceOnly(type): "message 0x\(hex(type)) may be sent only once"
        case let .missingRequestID(type): "request 0x\(hex(type)) without a request id"
        case let .unexpectedRequestID(type): "notification 0x\(hex(type)) carries a request id"
        case let .duplicateRequestID(id): "request id \(id) is already outstanding"
        case let .replyWithoutRequest(type, id): "reply 0x\(hex(type)) to request id \(id), which is not outstanding"
        case let .wrongReply(type, request): "reply 0x\(hex(type)) does not answer request 0x\(hex(request))"
        case let .tooManyOutstanding(limit): "more than \(limit) requests outstanding"
        case let .missingDescriptor(type): "message 0x\(hex(type)) arrived without its file descriptor"
        case .unexpectedDescriptor: "a file descriptor arrived that no message carries"
        case let .invalidValue(what): "invalid value: \(what)"
        }
    }
}

func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
