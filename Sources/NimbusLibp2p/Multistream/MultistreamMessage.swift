#if canImport(NimbusMultiformats)
    import NimbusMultiformats
#endif

/// The framing of multistream-select 1.0 (libp2p/specs connections/README.md, "Protocol Negotiation";
/// multiformats/multistream-select): each message is a varint length, then UTF-8 text ending in "\n", the length
/// counting the newline.
public enum MultistreamMessage {
    /// The header both sides send first.
    public static let header = "/multistream/1.0.0"
    /// The refusal of a proposed protocol.
    public static let notAvailable = "na"
    /// A request to list protocols, answered with `na` here (listing is optional and leaks what a node runs).
    public static let list = "ls"

    /// The framed bytes of one message.
    public static func encode(_ text: String) -> [UInt8] {
        let body = Array(text.utf8) + [UInt8(ascii: "\n")]
        return Varint.encode(UInt64(body.count)) + body
    }

    /// Takes the first complete message off the front of `buffer`.
    ///
    /// - Returns: the text without its newline, or nil when `buffer` holds only part of a message.
    /// - Throws: `MultistreamError.messageTooLong` as soon as the length prefix exceeds `maxLength`, before the
    ///   body arrives; `.malformedMessage` for a missing newline or bad UTF-8.
    public static func decode(from buffer: inout [UInt8], maxLength: Int) throws(MultistreamError) -> String? {
        let prefix: (value: UInt64, length: Int)?
        do {
            prefix = try Varint.decode(buffer, limit: UInt64(maxLength))
        } catch .tooLarge(let value, _) {
            throw .messageTooLong(length: Int(clamping: value), limit: maxLength)
        } catch {
            throw .malformedMessage("bad length prefix: \(error)")
        }
        guard let prefix else { return nil }
        let total = prefix.length + Int(prefix.value)
        guard buffer.count >= total else { return nil }
        let body = buffer[prefix.length..<total]
        guard body.last == UInt8(ascii: "\n") else { throw .malformedMessage("message does not end in a newline") }
        guard let text = String(validating: body.dropLast(), as: UTF8.self) else {
            throw .malformedMessage("message is not UTF-8")
        }
        buffer.removeFirst(total)
        return text
    }
}
