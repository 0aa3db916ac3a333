/// HTTP over a session (docs/http_over_waku.md): a request in one frame, a response as a head and numbered chunks.
/// Binary, with explicit lengths; every decoder refuses trailing bytes and out-of-range fields.
public enum HTTPFrame: Sendable, Equatable {
    /// A request. `target` is `node/<name>` or `manager`; `path` starts with "/".
    case request(stream: UInt32, method: String, target: String, path: String, body: [UInt8])
    /// The response head: the status, its content type and how many chunks follow. `deflatedFrom` is 0 for a body
    /// sent as it is, else the body's size before compression (the chunks then carry zlib data).
    case responseHead(stream: UInt32, status: UInt16, contentType: String, chunks: UInt16, deflatedFrom: UInt32 = 0)
    case responseChunk(stream: UInt32, index: UInt16, bytes: [UInt8])
    case cancel(stream: UInt32)
    /// The end of a streamed response (one whose head announced `streaming` chunks).
    case responseEnd(stream: UInt32)
    /// Device to host: parts of an answer that did not arrive: the head when `head`, and the chunks at `indices`
    /// (at most `maximumResendIndices`, ascending, no repeats). The host answers from what it kept.
    case resend(stream: UInt32, head: Bool, indices: [UInt16])
    /// Host to device: the request is still running (the answer to a repeat of it), so the device does not take the
    /// silence for a host that went away.
    case processing(stream: UInt32)

    /// The most chunk indices one `resend` names (a 5 MB answer has 53 chunks; 64 MiB at most 683).
    public static let maximumResendIndices = 1024

    /// The chunk count of a streamed response (server-sent events): chunks come until `responseEnd` or `cancel`.
    public static let streaming: UInt16 = 0xFFFF

    /// The stream a frame belongs to.
    public var stream: UInt32 {
        switch self {
        case let .request(stream, _, _, _, _), let .responseHead(stream, _, _, _, _), let .responseChunk(stream, _, _),
            let .cancel(stream), let .responseEnd(stream), let .resend(stream, _, _), let .processing(stream):
            stream
        }
    }

    /// The most bytes of body per chunk: leaves room for the frame, the seal and the Waku envelope under 150 KiB.
    public static let chunkBytes = 96 * 1024
    public static let maximumRequestBody = 64 * 1024

    public enum Invalid: Error, Equatable, Sendable {
        case truncated, unknownKind(UInt8), trailingBytes, badText, tooLarge, badFlag, unordered
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case let .request(stream, method, target, path, body):
            out = [1] + Self.u32(stream) + Self.text(method) + Self.text(target) + Self.text(path) + Self.bytes(body)
        case let .responseHead(stream, status, contentType, chunks, deflatedFrom):
            out = [2] + Self.u32(stream) + [UInt8(status >> 8), UInt8(status & 0xFF)] + Self.text(contentType)
                + [UInt8(chunks >> 8), UInt8(chunks & 0xFF)] + Self.u32(deflatedFrom)
        case let .responseChunk(stream, index, bytes):
            out = [3] + Self.u32(stream) + [UInt8(index >> 8), UInt8(index & 0xFF)] + Self.bytes(bytes)
        case let .cancel(stream):
            out = [4] + Self.u32(stream)
        case let .responseEnd(stream):
            out = [5] + Self.u32(stream)
        case let .resend(stream, head, indices):
            out = [6] + Self.u32(stream) + [head ? 1 : 0] + [UInt8(indices.count >> 8), UInt8(indices.count & 0xFF)]
                + indices.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case let .processing(stream):
            out = [7] + Self.u32(stream)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(Invalid) -> HTTPFrame {
        var reader = Reader(bytes: bytes)
        let kind = try reader.u8()
        let frame: HTTPFrame
        switch kind {
        case 1:
            let stream = try reader.u32()
            let method = try reader.text()
            let target = try reader.text()
            let path = try reader.text()
            let body = try reader.blob()
            guard body.count <= maximumRequestBody else { throw .tooLarge }
            frame = .request(stream: stream, method: method, target: target, path: path, body: body)
        case 2:
            frame = .responseHead(stream: try reader.u32(), status: try reader.u16(), contentType: try reader.text(),
                                  chunks: try reader.u16(), deflatedFrom: try reader.u32())
        case 3:
            let stream = try reader.u32()
            let index = try reader.u16()
            let body = try reader.blob()
            guard body.count <= chunkBytes else { throw .tooLarge }
            frame = .responseChunk(stream: stream, index: index, bytes: body)
        case 4:
            frame = .cancel(stream: try reader.u32())
        case 5:
            frame = .responseEnd(stream: try reader.u32())
        case 6:
            let stream = try reader.u32()
            let flag = try reader.u8()
            guard flag <= 1 else { throw .badFlag }
            let count = Int(try reader.u16())
            guard count <= maximumResendIndices else { throw .tooLarge }
            var indices: [UInt16] = []
            for _ in 0..<count {
                let index = try reader.u16()
                // Ascending without repeats: one encoding per request, and no amplification by repetition.
                guard indices.last.map({ $0 < index }) ?? true else { throw .unordered }
                indices.append(index)
            }
            frame = .resend(stream: stream, head: flag == 1, indices: indices)
        case 7:
            frame = .processing(stream: try reader.u32())
        default:
            throw .unknownKind(kind)
        }
        guard reader.atEnd else { throw .trailingBytes }
        return frame
    }

    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// u16 length, UTF-8 (texts are short: methods, targets, paths, content types).
    static func text(_ value: String) -> [UInt8] {
        let utf8 = Array(value.utf8.prefix(4096))
        return [UInt8(utf8.count >> 8), UInt8(utf8.count & 0xFF)] + utf8
    }

    static func bytes(_ value: [UInt8]) -> [UInt8] { u32(UInt32(value.count)) + value }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) throws(Invalid) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - offset >= count else { throw .truncated }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        mutating func u8() throws(Invalid) -> UInt8 { try take(1).first! }
        mutating func u16() throws(Invalid) -> UInt16 { try take(2).reduce(0) { $0 << 8 | UInt16($1) } }
        mutating func u32() throws(Invalid) -> UInt32 { try take(4).reduce(0) { $0 << 8 | UInt32($1) } }

        mutating func text() throws(Invalid) -> String {
            let count = Int(try u16())
            guard count <= 4096 else { throw .tooLarge }
            guard let text = String(validating: try take(count), as: UTF8.self) else { throw .badText }
            return text
        }

        mutating func blob() throws(Invalid) -> [UInt8] {
            let count = Int(try u32())
            guard count <= HTTPFrame.chunkBytes else { throw .tooLarge }
            return Array(try take(count))
        }
    }
}
