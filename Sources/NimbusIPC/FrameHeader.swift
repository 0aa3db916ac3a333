/// The fixed 12-byte header in front of every IPC frame, all fields big-endian:
///
///     0..<4   body length in bytes (UInt32), at most `FrameHeader.maximumBodyLength`
///     4..<6   message type (UInt16), a `MessageType` wire number
///     6..<8   flags (UInt16), reserved: must be zero
///     8..<12  request id (UInt32): non-zero on requests and their replies, zero on notifications
public struct FrameHeader: Sendable, Equatable {
    /// Size of the encoded header.
    public static let size = 12
    /// The hard limit on a frame body. Nothing the roles exchange comes near it; a larger length is a protocol
    /// violation, detected from the header before any body byte is buffered.
    public static let maximumBodyLength = 1 << 20

    public var bodyLength: UInt32
    public var type: UInt16
    public var requestID: UInt32

    public init(bodyLength: UInt32, type: UInt16, requestID: UInt32) {
        self.bodyLength = bodyLength
        self.type = type
        self.requestID = requestID
    }

    /// Decodes a header from exactly `size` bytes; rejects non-zero flags and oversize lengths.
    public init(decoding bytes: ArraySlice<UInt8>, limit: Int = FrameHeader.maximumBodyLength) throws(IPCError) {
        precondition(bytes.count == Self.size)
        var reader = WireReader(bytes)
        bodyLength = try reader.u32()
        type = try reader.u16()
        let flags = try reader.u16()
        requestID = try reader.u32()
        guard flags == 0 else { throw .reservedFlags(flags) }
        guard Int(bodyLength) <= limit else { throw .oversize(length: Int(bodyLength), limit: limit) }
    }

    /// Appends the encoded header to `out`.
    public func encode(into writer: inout WireWriter) {
        writer.u32(bodyLength)
        writer.u16(type)
        writer.u16(0)
        writer.u32(requestID)
    }
}

/// A decoded frame whose body has not been interpreted yet.
public struct Frame: Sendable, Equatable {
    public var type: UInt16
    public var requestID: UInt32
    public var body: [UInt8]

    public init(type: UInt16, requestID: UInt32, body: [UInt8]) {
        self.type = type
        self.requestID = requestID
        self.body = body
    }

    /// The frame on the wire: header then body. Traps on an oversize body, which only a bug can produce.
    public func encoded() -> [UInt8] {
        precondition(body.count <= FrameHeader.maximumBodyLength, "IPC frame body of \(body.count) bytes")
        var writer = WireWriter()
        FrameHeader(bodyLength: UInt32(body.count), type: type, requestID: requestID).encode(into: &writer)
        writer.raw(body)
        return writer.bytes
    }
}
