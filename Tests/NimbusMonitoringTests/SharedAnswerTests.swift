import NimbusMonitoring
import Synchronization
import Testing

@Suite struct SharedAnswerTests {
    final class Counter: Sendable {
        let calls = Atomic<Int>(0)
    }

    @Test func askersWithinTheFreshnessShareOneFetchAndLaterOnesFetchAgain() async throws {
        let counter = Counter()
        let shared = SharedAnswer<Int>(freshness: .milliseconds(300)) {
            // Slow enough that the other askers arrive while it runs.
            try? await Task.sleep(for: .milliseconds(50))
            return counter.calls.add(1, ordering: .relaxed).newValue
        }
        let answers = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<10 { group.addTask { await shared.value() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers == Array(repeating: 1, count: 10))
        #expect(await shared.value() == 1)
        #expect(await shared.fetches == 1)
        try await Task.sleep(for: .milliseconds(400))
        #expect(await shared.value() == 2)
        #expect(await shared.fetches == 2)
    }
}
