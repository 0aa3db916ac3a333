import Testing
@testable import NimbusMonitoring

@Suite struct AlertEngineTests {
    @Test func firesOnlyAfterNConsecutiveBadSamples() {
        var engine = AlertEngine()
        let kind = AlertKind.nodeUnreachable  // fireAfter 3
        #expect(engine.record(kind, subject: "hoodi", .bad("refused"), nowMillis: 1).isEmpty)
        #expect(engine.record(kind, subject: "hoodi", .bad("refused"), nowMillis: 2).isEmpty)
        // A good sample in between resets the count: no alert for a single blip.
        #expect(engine.record(kind, subject: "hoodi", .good, nowMillis: 3).isEmpty)
        #expect(engine.record(kind, subject: "hoodi", .bad("refused"), nowMillis: 4).isEmpty)
        #expect(engine.record(kind, subject: "hoodi", .bad("refused"), nowMillis: 5).isEmpty)
        let events = engine.record(kind, subject: "hoodi", .bad("refused"), nowMillis: 6)
        let alert = Alert(kind: kind, subject: "hoodi", diagnosis: "refused", firedAtMillis: 6)
        #expect(events == [.fired(alert, notify: true)])
        #expect(engine.active == [alert])
    }

    @Test func neverDuplicatesAnActiveAlert() {
        var engine = AlertEngine()
        var fired = 0
        for t in 0..<50 {
            fired += engine.record(.elOffline, subject: "a", .bad("x"), nowMillis: UInt64(t)).count
        }
        #expect(fired == 1)
    }

    @Test func unknownLeavesCountsAlone() {
        var engine = AlertEngine()
        _ = engine.record(.elOffline, subject: "a", .bad("x"), nowMillis: 1)
        _ = engine.record(.elOffline, subject: "a", .unknown, nowMillis: 2)
        _ = engine.record(.elOffline, subject: "a", .bad("x"), nowMillis: 3)
        #expect(engine.record(.elOffline, subject: "a", .bad("x"), nowMillis: 4).count == 1)
    }

    @Test func resolvesWithABackToNormalNoticeAfterHysteresis() {
        var engine = AlertEngine()
        for t in 1...5 { _ = engine.record(.peersLow, subject: "a", .bad("3 peers"), nowMillis: UInt64(t)) }
        #expect(engine.active.count == 1)
        // resolveAfter 3 for peers: two good samples are not enough.
        #expect(engine.record(.peersLow, subject: "a", .good, nowMillis: 10).isEmpty)
        #expect(engine.record(.peersLow, subject: "a", .good, nowMillis: 11).isEmpty)
        let events = engine.record(.peersLow, subject: "a", .good, nowMillis: 12)
        guard case let .resolved(alert, at, notify)? = events.first else {
            Issue.record("expected a resolution, got \(events)")
            return
        }
        #expect(alert.kind == .peersLow && at == 12 && notify)
        #expect(engine.active.isEmpty)
    }

    @Test func flappingWithinTheCooldownIsRecordedButNotNotified() {
        var engine = AlertEngine(cooldownMillis: 1000)
        for t in 1...3 { _ = engine.record(.elOffline, subject: "a", .bad("x"), nowMillis: UInt64(t)) }
        _ = engine.record(.elOffline, subject: "a", .good, nowMillis: 10)
        var events: [AlertEvent] = []
        for t in 11...13 { events += engine.record(.elOffline, subject: "a", .bad("x"), nowMillis: UInt64(t)) }
        #expect(events.count == 1)
        if case let .fired(_, notify)? = events.first { #expect(!notify) } else { Issue.record("no re-fire") }
        let resolution = engine.record(.elOffline, subject: "a", .good, nowMillis: 20)
        if case let .resolved(_, _, notify)? = resolution.first { #expect(!notify) } else { Issue.record("no resolve") }
        // After the cooldown a new episode notifies again.
        events = []
        for t in 2000...2002 { events += engine.record(.elOffline, subject: "a", .bad("x"), nowMillis: UInt64(t)) }
        if case let .fired(_, notify)? = events.first { #expect(notify) } else { Issue.record("no fire") }
    }

    @Test func perEpochRulesCountEachEpochOnce() {
        var engine = AlertEngine()
        // attestationsMissed fires after 2 bad epochs; many polls within one epoch count once.
        for t in 0..<10 {
            #expect(engine.record(.attestationsMissed, subject: "a", .bad("1 missed"), epoch: 100, nowMillis: UInt64(t)).isEmpty)
        }
        #expect(engine.record(.attestationsMissed, subject: "a", .bad("1 missed"), epoch: 101, nowMillis: 20).count == 1)
    }

    @Test func restoredAlertsAreNotRaisedAgain() {
        var engine = AlertEngine()
        engine.restore(Alert(kind: .diskLow, subject: "host", diagnosis: "5 GiB", firedAtMillis: 1))
        #expect(engine.record(.diskLow, subject: "host", .bad("4 GiB"), nowMillis: 2).isEmpty)
        #expect(engine.active.count == 1)
    }

    @Test func activeAlertsAreSortedBySeverityThenAge() {
        var engine = AlertEngine()
        engine.restore(Alert(kind: .peersLow, subject: "a", diagnosis: "", firedAtMillis: 1))
        engine.restore(Alert(kind: .nodeUnreachable, subject: "b", diagnosis: "", firedAtMillis: 5))
        engine.restore(Alert(kind: .versionBehind, subject: "c", diagnosis: "", firedAtMillis: 0))
        #expect(engine.active.map(\.kind) == [.nodeUnreachable, .peersLow, .versionBehind])
    }

    @Test func everyKindSaysWhatToDo() {
        for kind in AlertKind.allCases {
            #expect(!kind.title.isEmpty && kind.action.count > 40, "\(kind)")
            #expect(kind.fireAfter >= 1 && kind.resolveAfter >= 1)
        }
    }
}
