import NimbusSupervisorCore
import Testing

@Suite("RestartBackoff")
struct RestartBackoffTests {
    @Test func quickFailuresWalkTheDelaysAndRepeatTheLast() {
        var backoff = RestartBackoff()
        let delays = (0..<9).map { _ in backoff.nextDelay(ranForMillis: 10) }
        #expect(delays == [200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 30_000, 30_000])
        #expect(backoff.failures == 9)
    }

    @Test func aRunOfSixtySecondsStartsOver() {
        var backoff = RestartBackoff()
        _ = backoff.nextDelay(ranForMillis: 0)
        _ = backoff.nextDelay(ranForMillis: 0)
        _ = backoff.nextDelay(ranForMillis: 0)
        #expect(backoff.nextDelay(ranForMillis: 60_000) == 200)
        #expect(backoff.nextDelay(ranForMillis: 0) == 500)
    }

    @Test func aRunJustShortOfSixtySecondsKeepsBackingOff() {
        var backoff = RestartBackoff()
        _ = backoff.nextDelay(ranForMillis: 0)
        #expect(backoff.nextDelay(ranForMillis: 59_999) == 500)
    }
}
