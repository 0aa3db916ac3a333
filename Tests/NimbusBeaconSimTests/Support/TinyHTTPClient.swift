import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking HTTP/1.1 client over a POSIX socket, just enough for the end-to-end tests: one request per
/// connection, `Content-Length` and chunked bodies, and reading a server-sent event stream for a while.
/// (URLSession works here for plain requests, but a socket of our own keeps the event-stream test in control of
/// when each chunk arrives, which is what it measures.)
struct TinyHTTPClient {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var contentType: String { headers["content-type"] ?? "" }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var port: Int
    var host = "127.0.0.1"
    var timeout: Double = 10

    func get(_ path: String, headers: [String: String] = [:]) throws -> Response {
        try request("GET", path, headers: headers)
    }

    func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []
    ) throws -> Response {
        let socket = try connect()
        defer { close(socket) }
        try send(socket, method: method, path: path, headers: headers, body: body)
        var buffer: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let response = try parse(buffer, complete: false) { return response }
            guard let chunk = try receive(socket, deadline: deadline) else {
                if let response = try parse(buffer, complete: true) { return response }
                throw Failure(description: "connection closed before a complete response (\(buffer.count) bytes)")
            }
            buffer += chunk
        }
    }

    /// Opens an event stream and collects the raw text received within `seconds` (or until `stop` says so);
    /// `arrived` sees each received chunk's text with its arrival time.
    func eventStream(
        _ path: String, seconds: Double, arrived: (Date, String) -> Void = { _, _ in },
        stop: (String) -> Bool = { _ in false }
    ) throws -> Response {
        let socket = try connect()
        defer { close(socket) }
        try send(socket, method: "GET", path: path, headers: ["Accept": "text/event-stream"], body: [])
        var buffer: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let chunk = try receive(socket, deadline: deadline) else { break }
            arrived(Date(), String(decoding: chunk, as: UTF8.self))
            buffer += chunk
            if let partial = try parse(buffer, complete: true), stop(partial.text) { break }
        }
        guard let response = try parse(buffer, complete: true) else {
            throw Failure(description: "no response head on the event stream")
        }
        return response
    }

    private func connect() throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socket)
            throw Failure(description: "connect to \(host):\(port) failed: errno \(errno)")
        }
        return socket
    }

    private func send(_ socket: Int32, method: String, path: String, headers: [String: String], body: [UInt8]) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "DELETE" {
            if headers["Content-Type"] == nil { head += "Content-Type: application/json\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        }
        let bytes = Array((head + "\r\n").utf8) + body
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Bytes, or nil at end of stream or deadline.
    private func receive(_ socket: Int32, deadline: Date) throws -> [UInt8]? {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return nil }
        var poll = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = Glibc.poll(&poll, 1, Int32(min(remaining, 60) * 1000))
        guard ready > 0 else { return nil }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Array(chunk[0..<count])
    }

    /// A response if `buffer` holds a whole one (or, with `complete`, whatever body arrived).
    private func parse(_ buffer: [UInt8], complete: Bool) throws -> Response? {
        guard let split = buffer.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let headText = String(decoding: buffer[..<split.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let rest = Array(buffer[split.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init) {
            guard rest.count >= length else {
                return complete ? Response(status: status, headers: headers, body: rest) : nil
            }
            return Response(status: status, headers: headers, body: Array(rest.prefix(length)))
        }
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            var body: [UInt8] = []
            var index = 0
            while true {
                guard let lineEnd = rest[index...].firstRange(of: Array("\r\n".utf8)) else { break }
                let sizeText = String(decoding: rest[index..<lineEnd.lowerBound], as: UTF8.self)
                guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else { break }
                if size == 0 { return Response(status: status, headers: headers, body: body) }
                let start = lineEnd.upperBound
                guard rest.count >= start + size + 2 else { break }
                body += rest[start..<start + size]
                index = start + size + 2
            }
            return complete ? Response(status: status, headers: headers, body: body) : nil
        }
        return complete ? Response(status: status, headers: headers, body: rest) : nil
    }
}
