/// The host's memory of one session's requests, by stream id (docs/http_over_waku.md, "Loss and repeats"): each
/// request runs at most once however often the device repeats it (a lost answer must not import or delete twice),
/// and an answer is kept for a while so that lost parts can be sent again. Pure: the caller passes the time.
public struct StreamLedger: Sendable {
    /// What to do with a request frame.
    public enum Admission: Sendable, Equatable {
        /// New: run it.
        case execute
        /// Already answered: send these frames again (the device lost them all).
        case replay([HTTPFrame])
        /// Still running: its answer is on the way (the host says so with `processing`).
        case inProgress
        /// A live stream, or an answer no longer kept: nothing to send, and never run again.
        case gone
        /// Too many requests of this session are running: answer with 429.
        case busy
    }

    /// Requests of one session that may run at once (a device's page needs a handful; more is a runaway client).
    public static let maximumRunning = 16
    /// Answers kept for repeats: this many, this many bytes, this long.
    public static let keptAnswers = 64
    public static let keptBytes = 32 << 20
    public static let keptMillis: UInt64 = 120_000
    /// Stream ids remembered after their answer left the cache, so a late repeat is not run again.
    public static let rememberedIDs = 4096

    private enum State {
        case running
        case answered(frames: [HTTPFrame], bytes: Int, atMillis: UInt64)
        /// Answered, its frames dropped from the cache: a repeat gets nothing (the device times out).
        case forgotten
    }

    private var states: [UInt32: State] = [:]
    /// Answered stream ids, oldest first, for eviction.
    private var answeredOrder: [UInt32] = []
    private var keptBytesTotal = 0

    public init() {}

    public var runningCount: Int { states.values.filter { if case .running = $0 { true } else { false } }.count }

    public mutating func admit(stream: UInt32, nowMillis: UInt64) -> Admission {
        expire(nowMillis: nowMillis)
        switch states[stream] {
        case .running?: return .inProgress
        case let .answered(frames, _, _)?: return .replay(frames)
        case .forgotten?: return .gone
        case nil:
            guard runningCount < Self.maximumRunning else { return .busy }
            states[stream] = .running
            return .execute
        }
    }

    /// A live stream (server-sent events) was opened for `stream`: repeats of its request are ignored, and it is
    /// never replayed (its parts are gone once sent).
    public mutating func streaming(_ stream: UInt32) {
        states[stream] = .forgotten
        remember(stream)
    }

    /// The request finished with these frames (head and chunks), now kept for repeats.
    public mutating func answered(stream: UInt32, frames: [HTTPFrame], nowMillis: UInt64) {
        let bytes = frames.reduce(0) { total, frame in
            if case let .responseChunk(_, _, chunk) = frame { return total + chunk.count }
            return total + 64
        }
        states[stream] = .answered(frames: frames, bytes: bytes, atMillis: nowMillis)
        keptBytesTotal += bytes
        remember(stream)
        evict(nowMillis: nowMillis)
    }

    /// The parts a `resend` asks for, from the kept answer; empty when it is gone or was never there.
    public mutating func resend(stream: UInt32, head: Bool, indices: [UInt16], nowMillis: UInt64) -> [HTTPFrame] {
        expire(nowMillis: nowMillis)
        guard case let .answered(frames, _, _)? = states[stream] else { return [] }
        let wanted = Set(indices)
        return frames.filter { frame in
            switch frame {
            case .responseHead: head
            case let .responseChunk(_, index, _): wanted.contains(index)
            default: false
            }
        }
    }

    private mutating func remember(_ stream: UInt32) {
        answeredOrder.removeAll { $0 == stream }
        answeredOrder.append(stream)
        if answeredOrder.count > Self.rememberedIDs {
            let oldest = answeredOrder.removeFirst()
            forget(oldest)
            states[oldest] = nil
        }
    }

    private mutating func evict(nowMillis: UInt64) {
        expire(nowMillis: nowMillis)
        var kept = answeredOrder.filter { if case .answered? = states[$0] { true } else { false } }
        while keptBytesTotal > Self.keptBytes || kept.count > Self.keptAnswers, let oldest = kept.first {
            forget(oldest)
            kept.removeFirst()
        }
    }

    private mutating func expire(nowMillis: UInt64) {
        for stream in answeredOrder {
            if case let .answered(_, _, at)? = states[stream], nowMillis >= at + Self.keptMillis { forget(stream) }
        }
    }

    private mutating func forget(_ stream: UInt32) {
        if case let .answered(_, bytes, _)? = states[stream] {
            keptBytesTotal -= bytes
            states[stream] = .forgotten
        }
    }
}
