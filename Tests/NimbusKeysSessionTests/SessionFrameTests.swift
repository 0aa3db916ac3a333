import Foundation
import NimbusKeysSession
import Testing

@Suite struct SessionFrameTests {
    static let frames: [SessionFrame] = [
        SessionFrame(.request, Array(#"{"command":"list"}"#.utf8)),
        SessionFrame(.secret, Array("correct horse".utf8)),
        try! SessionFrame.file(SessionFile(name: "deposit_data-1.json", contents: Array("[]".utf8))),
        SessionFrame(.progress, []),
        SessionFrame(.result, Array("{}".utf8)),
        SessionFrame(.failure, Array(#"{"code":"denied","message":"no"}"#.utf8)),
    ]

    @Test func framesSurviveEverySplitOfTheStream() throws {
        let stream = Self.frames.flatMap { $0.encoded() }
        for split in 0...stream.count {
            var decoder = SessionFrameDecoder()
            let first = try decoder.append(stream[..<split])
            let second = try decoder.append(stream[split...])
            #expect(first + second == Self.frames, "split at \(split)")
            #expect(decoder.pendingBytes == 0)
        }
    }

    @Test func framesSurviveADripFeed() throws {
        var decoder = SessionFrameDecoder()
        var out: [SessionFrame] = []
        for byte in Self.frames.flatMap({ $0.encoded() }) { out += try decoder.append([byte]) }
        #expect(out == Self.frames)
    }

    @Test func wireFormIsLengthKindBody() {
        #expect(SessionFrame(.secret, [0xAA, 0xBB]).encoded() == [0, 0, 0, 3, 0x02, 0xAA, 0xBB])
    }

    @Test func badFramingEndsTheSession() {
        var decoder = SessionFrameDecoder()
        #expect(throws: SessionError.emptyFrame) { try decoder.append([0, 0, 0, 0]) }
        decoder = SessionFrameDecoder()
        #expect(throws: SessionError.unknownKind(0x7F)) { try decoder.append([0, 0, 0, 1, 0x7F]) }
        decoder = SessionFrameDecoder()
        // The size is refused from the header alone, before a megabyte is buffered.
        #expect(throws: SessionError.oversizeFrame(bytes: SessionFrame.maximumBodyBytes + 1)) {
            let length = UInt32(SessionFrame.maximumBodyBytes + 2)
            try decoder.append([UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        }
        #expect(throws: SessionError.oversizeFrame(bytes: Int(UInt32.max) - 1)) {
            var fresh = SessionFrameDecoder()
            return try fresh.append([0xFF, 0xFF, 0xFF, 0xFF])
        }
    }

    @Test func theLargestFrameIsAccepted() throws {
        var decoder = SessionFrameDecoder()
        let frame = SessionFrame(.file, [UInt8](repeating: 7, count: SessionFrame.maximumBodyBytes))
        #expect(try decoder.append(frame.encoded()) == [frame])
    }

    @Test func fileNamesArePlainNames() throws {
        for bad in ["", ".", "..", "../x", "a/b", "/etc/passwd", "a\u{0}b", "a\nb", String(repeating: "x", count: 256)] {
            #expect(throws: SessionError.self, "\(bad.debugDescription)") { try SessionFile(name: bad, contents: []) }
        }
        let ok = try SessionFile(name: "keystore-m_12381_3600_0_0_0-1.json", contents: [1, 2, 3])
        #expect(try SessionFrame.file(ok).decodeFile() == ok)
    }

    @Test func malformedFileFramesAreRefused() {
        #expect(throws: SessionError.malformedFile("the frame is shorter than its name length")) {
            try SessionFrame(.file, [0]).decodeFile()
        }
        #expect(throws: SessionError.malformedFile("the name runs past the end of the frame")) {
            try SessionFrame(.file, [0, 9, 0x61]).decodeFile()
        }
        #expect(throws: SessionError.malformedFile("the name is not UTF-8")) {
            try SessionFrame(.file, [0, 1, 0xFF]).decodeFile()
        }
        // A hostile name smuggled into an otherwise well-formed frame.
        #expect(throws: SessionError.self) {
            try SessionFrame(.file, [0, 5] + Array("../ab".utf8)).decodeFile()
        }
        #expect(throws: SessionError.unexpectedFrame(expected: "a file", got: .result)) {
            try SessionFrame(.result, []).decodeFile()
        }
    }

    @Test func messagesRoundTripAndBadJSONIsNamed() throws {
        var request = KeysRequest(.generate)
        request.generate = GenerateParameters(count: 2, network: "hoodi", withdrawalAddress: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let frame = SessionJSON.frame(.request, request)
        #expect(try SessionJSON.decode(KeysRequest.self, from: frame.body, what: "request") == request)
        #expect(String(decoding: frame.body, as: UTF8.self).contains(#""command":"generate""#))
        #expect(throws: SessionError.malformedJSON(what: "request")) {
            try SessionJSON.decode(KeysRequest.self, from: Array(#"{"command":"format-disk"}"#.utf8), what: "request")
        }
        #expect(throws: SessionError.malformedJSON(what: "request")) {
            try SessionJSON.decode(KeysRequest.self, from: [0xFF, 0x00], what: "request")
        }
    }

    @Test func socketsCarryFramesBothWaysAndReportTheEnd() throws {
        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        let left = SessionSocket(descriptor: pair[0], receiveTimeout: .seconds(5))
        let right = SessionSocket(descriptor: pair[1], receiveTimeout: .seconds(5))
        for frame in Self.frames { try left.send(frame) }
        for frame in Self.frames { #expect(try right.receive() == frame) }
        // Half a frame, then the end: that is a truncated session, not a clean one.
        _ = ([0, 0, 0, 9, 0x01] as [UInt8]).withUnsafeBytes { Glibc.send(pair[0], $0.baseAddress, 5, 0) }
        shutdown(pair[0], Int32(SHUT_WR))
        #expect(throws: SessionError.truncated) { try right.receive() }
    }

    @Test func aSilentPeerTimesOut() throws {
        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        let left = SessionSocket(descriptor: pair[0])
        let right = SessionSocket(descriptor: pair[1], receiveTimeout: .milliseconds(100))
        #expect(throws: SessionError.timedOut) { try right.receive() }
        withExtendedLifetime(left) {}
    }
}
