import NimbusSession
import Testing

/// Loss and repeats (docs/http_over_waku.md): the device's reassembly asks for exactly what is missing, and the
/// host's ledger runs each request once and answers resends from what it kept. Frames are "lost" here by not
/// handing them over.
@Suite struct RetransmissionTests {
    /// A 3-chunk answer as the host would send it.
    static let frames: [HTTPFrame] = [
        .responseHead(stream: 7, status: 200, contentType: "application/json", chunks: 3),
        .responseChunk(stream: 7, index: 0, bytes: [1, 2]),
        .responseChunk(stream: 7, index: 1, bytes: [3]),
        .responseChunk(stream: 7, index: 2, bytes: [4, 5, 6]),
    ]

    @Test func resendFramesRoundTripAndBadOnesAreRefused() throws {
        let frame = HTTPFrame.resend(stream: 9, head: true, indices: [0, 4, 65535])
        #expect(try HTTPFrame.decode(frame.encoded()) == frame)
        #expect(try HTTPFrame.decode(HTTPFrame.resend(stream: 1, head: false, indices: []).encoded())
                    == .resend(stream: 1, head: false, indices: []))
        #expect(try HTTPFrame.decode(HTTPFrame.processing(stream: 3).encoded()) == .processing(stream: 3))
        #expect(throws: HTTPFrame.Invalid.trailingBytes) { try HTTPFrame.decode([7, 0, 0, 0, 3, 0]) }
        #expect(throws: HTTPFrame.Invalid.unordered) {
            try HTTPFrame.decode([6, 0, 0, 0, 9, 0, 0, 2, 0, 4, 0, 4])
        }
        #expect(throws: HTTPFrame.Invalid.unordered) {
            try HTTPFrame.decode([6, 0, 0, 0, 9, 0, 0, 2, 0, 5, 0, 4])
        }
        #expect(throws: HTTPFrame.Invalid.badFlag) { try HTTPFrame.decode([6, 0, 0, 0, 9, 2, 0, 0]) }
        #expect(throws: HTTPFrame.Invalid.tooLarge) { try HTTPFrame.decode([6, 0, 0, 0, 9, 0, 0x04, 0x01]) }
        #expect(throws: HTTPFrame.Invalid.truncated) { try HTTPFrame.decode([6, 0, 0, 0, 9, 0, 0, 2, 0, 1]) }
        #expect(throws: HTTPFrame.Invalid.trailingBytes) { try HTTPFrame.decode([6, 0, 0, 0, 9, 0, 0, 0, 0]) }
    }

    @Test func anAnswerArrivesInAnyOrderAndDuplicatesChangeNothing() {
        var assembly = ResponseAssembly()
        for frame in [Self.frames[3], Self.frames[1], Self.frames[0], Self.frames[1], Self.frames[2]] {
            assembly.accept(frame)
        }
        #expect(assembly.isComplete)
        #expect(assembly.body == [1, 2, 3, 4, 5, 6])
        #expect(assembly.accept(Self.frames[0]) == false, "a second head is ignored")
        var bogus = ResponseAssembly()
        bogus.accept(.responseChunk(stream: 7, index: 5, bytes: [9]))
        #expect(bogus.accept(Self.frames[0]) == false, "a head that cannot hold a chunk already seen is refused")
        var streaming = ResponseAssembly()
        #expect(streaming.accept(.responseHead(stream: 7, status: 200, contentType: "text/event-stream",
                                               chunks: HTTPFrame.streaming)) == false)
    }

    @Test func theDeviceAsksForWhatIsMissingOnlyAfterAQuietInterval() {
        var assembly = ResponseAssembly()
        #expect(assembly.retry() == .repeatRequest, "nothing at all: the request again")
        assembly.accept(Self.frames[2])
        #expect(assembly.retry() == .none, "something arrived since the last check")
        #expect(assembly.retry() == .resend(head: true, indices: []), "no head yet: the head")
        assembly.accept(Self.frames[0])
        _ = assembly.retry()
        #expect(assembly.retry() == .resend(head: false, indices: [0, 2]))
        assembly.accept(Self.frames[1])
        assembly.accept(Self.frames[3])
        #expect(assembly.retry() == .none)
        #expect(assembly.isComplete)
    }

    @Test func aRepeatedRequestRunsOnceAndIsReplayedFromWhatWasKept() {
        var ledger = StreamLedger()
        #expect(ledger.admit(stream: 7, nowMillis: 0) == .execute)
        #expect(ledger.admit(stream: 7, nowMillis: 10) == .inProgress, "a repeat while it runs")
        ledger.answered(stream: 7, frames: Self.frames, nowMillis: 20)
        #expect(ledger.admit(stream: 7, nowMillis: 30) == .replay(Self.frames))
        #expect(ledger.resend(stream: 7, head: false, indices: [0, 2], nowMillis: 40) == [Self.frames[1], Self.frames[3]])
        #expect(ledger.resend(stream: 7, head: true, indices: [], nowMillis: 40) == [Self.frames[0]])
        #expect(ledger.resend(stream: 8, head: true, indices: [0], nowMillis: 40) == [], "never asked")
        // After the keeping time the answer is gone, but the request is still not run again.
        let later = 20 + StreamLedger.keptMillis
        #expect(ledger.resend(stream: 7, head: true, indices: [0], nowMillis: later) == [])
        #expect(ledger.admit(stream: 7, nowMillis: later) == .gone)
    }

    @Test func aSessionRunsAtMostSixteenRequestsAtOnce() {
        var ledger = StreamLedger()
        for stream in 1...UInt32(StreamLedger.maximumRunning) {
            #expect(ledger.admit(stream: stream, nowMillis: 0) == .execute)
        }
        #expect(ledger.admit(stream: 100, nowMillis: 0) == .busy)
        ledger.answered(stream: 1, frames: Self.frames, nowMillis: 1)
        #expect(ledger.admit(stream: 100, nowMillis: 2) == .execute)
    }

    @Test func keptAnswersAreBoundedByCountAndBytes() {
        var ledger = StreamLedger()
        let big = [UInt8](repeating: 0, count: HTTPFrame.chunkBytes)
        let chunksPerAnswer = 60
        let answer: [HTTPFrame] = [.responseHead(stream: 0, status: 200, contentType: "x", chunks: UInt16(chunksPerAnswer))]
            + (0..<chunksPerAnswer).map { .responseChunk(stream: 0, index: UInt16($0), bytes: big) }
        // About 5.6 MiB each: the 32 MiB bound keeps the newest five.
        for stream in UInt32(1)...8 {
            _ = ledger.admit(stream: stream, nowMillis: 0)
            ledger.answered(stream: stream, frames: answer, nowMillis: 0)
        }
        #expect(ledger.resend(stream: 1, head: true, indices: [], nowMillis: 1).isEmpty)
        #expect(ledger.resend(stream: 3, head: true, indices: [], nowMillis: 1).isEmpty)
        #expect(ledger.resend(stream: 4, head: true, indices: [], nowMillis: 1).count == 1)
        #expect(ledger.resend(stream: 8, head: true, indices: [], nowMillis: 1).count == 1)
        var many = StreamLedger()
        for stream in UInt32(1)...UInt32(StreamLedger.keptAnswers + 1) {
            _ = many.admit(stream: stream, nowMillis: 0)
            many.answered(stream: stream, frames: Array(Self.frames.prefix(2)), nowMillis: 0)
        }
        #expect(many.resend(stream: 1, head: true, indices: [], nowMillis: 0).isEmpty)
        #expect(many.resend(stream: 2, head: true, indices: [], nowMillis: 0).count == 1)
    }

    /// The whole loop: a host ledger and a device assembly with a lossy channel between them that drops every
    /// other frame the first time; the device's retries complete the answer and the request runs once.
    @Test func aLossyChannelStillDeliversEveryAnswerOnce() {
        var ledger = StreamLedger()
        var assembly = ResponseAssembly()
        var runs = 0
        var dropped = Set<Int>()
        var sent = 0
        func deliver(_ frames: [HTTPFrame]) {
            for frame in frames {
                sent += 1
                if sent % 2 == 0, dropped.insert(sent).inserted { continue }
                assembly.accept(frame)
            }
        }
        func host(_ frame: HTTPFrame, now: UInt64) -> [HTTPFrame] {
            switch frame {
            case let .request(stream, _, _, _, _):
                switch ledger.admit(stream: stream, nowMillis: now) {
                case .execute:
                    runs += 1
                    ledger.answered(stream: stream, frames: Self.frames, nowMillis: now)
                    return Self.frames
                case let .replay(frames): return frames
                case .inProgress, .gone, .busy: return []
                }
            case let .resend(stream, head, indices):
                return ledger.resend(stream: stream, head: head, indices: indices, nowMillis: now)
            default:
                return []
            }
        }
        let request = HTTPFrame.request(stream: 7, method: "POST", target: "node", path: "/eth/v1/keystores", body: [])
        deliver(host(request, now: 0))
        var now: UInt64 = 0
        while !assembly.isComplete && now < 60_000 {
            now += 2_000
            switch assembly.retry() {
            case .none: break
            case .repeatRequest: deliver(host(request, now: now))
            case let .resend(head, indices): deliver(host(.resend(stream: 7, head: head, indices: indices), now: now))
            }
        }
        #expect(assembly.isComplete)
        #expect(assembly.body == [1, 2, 3, 4, 5, 6])
        #expect(runs == 1, "the POST ran once")
    }
}
