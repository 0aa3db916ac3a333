/// An HTTP request as the API handlers see it (the NIO layer builds it).
public struct APIRequest: Sendable {
    /// Upper-case method.
    public var method: String
    /// Path without the query string.
    public var path: String
    /// Decoded query parameters in order.
    public var query: [(name: String, value: String)]
    /// Header fields (names as received).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// A request.
    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// A request from a request target ("/a/b?x=1&y=2"), decoding the query.
    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query =
            parts.count > 1
            ? parts[1].split(separator: "&").map { pair -> (name: String, value: String) in
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (Self.percentDecode(halves[0]), halves.count > 1 ? Self.percentDecode(halves[1]) : "")
            } : []
        self.init(method: method, path: String(parts[0]), query: query, headers: headers, body: body)
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of query parameter `name`, comma-separated lists split (the beacon API takes both forms).
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
    }

    static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                let low = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), low < utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[high], utf8[low]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = utf8.index(index, offsetBy: 3)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// An HTTP response from an API handler.
public struct APIResponse: Sendable, Equatable {
    /// HTTP status code.
    public var status: Int
    /// `Content-Type`, nil for an empty body.
    public var contentType: String?
    /// The body bytes.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, contentType: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A JSON response.
    public static func json(_ status: Int, _ value: JSONValue) -> APIResponse {
        APIResponse(status: status, contentType: "application/json", body: Array(value.text.utf8))
    }

    /// The beacon API's error body: `{"code": status, "message": ...}`.
    public static func beaconError(_ status: Int, _ message: String) -> APIResponse {
        json(status, .object([("code", .number(Double(status))), ("message", .string(message))]))
    }

    /// The keymanager API's error body: `{"message": ...}`.
    public static func keymanagerError(_ status: Int, _ message: String) -> APIResponse {
        json(status, .object([("message", .string(message))]))
    }

    /// No body.
    public static func empty(_ status: Int) -> APIResponse { APIResponse(status: status) }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What a handler wants the server to do.
public enum APIReply: Sendable, Equatable {
    /// Send this response.
    case response(APIResponse)
    /// Keep the connection open as a server-sent event stream for these topics.
    case eventStream(topics: [String])
}
