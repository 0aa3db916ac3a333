/// Turns verdicts into alerts with hysteresis, resolution, deduplication and a cooldown. Pure: the caller feeds
/// verdicts with the time and persists what comes out.
///
/// - An alert fires after `kind.fireAfter` consecutive bad samples and resolves after `kind.resolveAfter`
///   consecutive good ones; `unknown` leaves the counts alone.
/// - Per-epoch rules count each epoch once, however many polls it spans.
/// - At most one alert per kind and subject is active (deduplication).
/// - An alert that fires again within `cooldownMillis` of resolving is recorded without a notification, and so is
///   its next resolution: a flapping condition produces one notification pair, not one per flap.
public struct AlertEngine: Sendable {
    private struct Track: Sendable {
        var bad = 0
        var good = 0
        var lastEpoch: UInt64?
        var active: Alert?
        var activeNotified = true
        var lastResolvedMillis: UInt64?
    }

    public var cooldownMillis: UInt64
    private var tracks: [String: Track] = [:]

    public init(cooldownMillis: UInt64 = 15 * 60 * 1000) {
        self.cooldownMillis = cooldownMillis
    }

    /// Active alerts, sorted by severity (critical first) then time.
    public var active: [Alert] {
        tracks.values.compactMap(\.active).sorted {
            $0.severity != $1.severity ? $0.severity > $1.severity : $0.firedAtMillis < $1.firedAtMillis
        }
    }

    /// Restores an alert that was active before a restart, so that it is neither raised twice nor forgotten.
    public mutating func restore(_ alert: Alert) {
        var track = Track()
        track.active = alert
        track.bad = alert.kind.fireAfter
        tracks[alert.key] = track
    }

    /// Feeds one verdict; returns what changed.
    public mutating func record(
        _ kind: AlertKind, subject: String, _ verdict: Verdict, epoch: UInt64? = nil, nowMillis: UInt64
    ) -> [AlertEvent] {
        let key = "\(kind.rawValue)/\(subject)"
        var track = tracks[key] ?? Track()
        defer { tracks[key] = track }
        if kind.perEpoch {
            guard let epoch, verdict != .unknown else { return [] }
            if track.lastEpoch == epoch { return [] }
            track.lastEpoch = epoch
        }
        switch verdict {
        case .unknown:
            return []
        case let .bad(detail):
            track.bad += 1
            track.good = 0
            guard track.active == nil, track.bad >= kind.fireAfter else { return [] }
            let alert = Alert(kind: kind, subject: subject, diagnosis: detail, firedAtMillis: nowMillis)
            let flapping = track.lastResolvedMillis.map { nowMillis < $0 + cooldownMillis } ?? false
            track.active = alert
            track.activeNotified = !flapping
            return [.fired(alert, notify: !flapping)]
        case .good:
            track.good += 1
            track.bad = 0
            guard let alert = track.active, track.good >= kind.resolveAfter else { return [] }
            track.active = nil
            track.lastResolvedMillis = nowMillis
            return [.resolved(alert, atMillis: nowMillis, notify: track.activeNotified)]
        }
    }
}
