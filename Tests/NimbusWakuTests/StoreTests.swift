import Foundation
import GRDB
import NimbusWaku
import Testing

/// 13/WAKU2-STORE v3: the query service over both archives, the client pager, retention.
@Suite struct StoreTests {
    let pubsub = "/waku/2/rs/1/1"

    func entries(_ count: Int, topic: String = "/a/1/x/p", start: Int = 0) -> [ArchivedMessage] {
        (start..<(start + count)).map { index in
            // Every other pair shares a timestamp, so that hash order breaks ties.
            let payload: [UInt8] = [UInt8(index & 0xFF), UInt8(index >> 8)]
            let timestamp = Int64(1_000 + index / 2)
            let message = WakuMessage(payload: payload, contentTopic: topic, timestamp: timestamp)
            return ArchivedMessage(pubsubTopic: pubsub, message: message, receivedAt: Int64(5_000 + index))
        }
    }

    func archives() throws -> [any MessageArchive] {
        [InMemoryMessageArchive(), try SQLiteMessageArchive(path: ":memory:")]
    }

    /// Paging forward and backward visits every matching message once, in order, on both archives alike.
    @Test func pagingBothDirections() throws {
        for archive in try archives() {
            let stored = entries(45) + entries(5, topic: "/a/1/other/p", start: 100)
            for entry in stored { #expect(try archive.insert(entry)) }
            #expect(try archive.insert(stored[0]) == false)
            let service = StoreQueryService(archive: archive)
            let expected = stored.prefix(45).sorted { $0.sortKey < $1.sortKey }.map(\.hash)
            for forward in [true, false] {
                var cursor: WakuMessageHash?
                var visited: [WakuMessageHash] = []
                var pages = 0
                repeat {
                    let response = service.answer(
                        StoreQueryRequest(
                            requestID: "q", includeData: true, pubsubTopic: pubsub, contentTopics: ["/a/1/x/p"],
                            paginationCursor: cursor, paginationForward: forward, paginationLimit: 10))
                    #expect(response.statusCode == 200)
                    visited += response.messages.map(\.messageHash)
                    cursor = response.paginationCursor
                    pages += 1
                } while cursor != nil
                #expect(pages == 5)
                #expect(
                    visited == (forward ? expected : expected.reversed()), "\(type(of: archive)) forward \(forward)")
            }
        }
    }

    @Test func filtersAndValidation() throws {
        for archive in try archives() {
            for entry in entries(10) { _ = try archive.insert(entry) }
            let service = StoreQueryService(archive: archive)
            let ranged = service.answer(
                StoreQueryRequest(
                    requestID: "t", pubsubTopic: pubsub, contentTopics: ["/a/1/x/p"], timeStart: 1_001, timeEnd: 1_002))
            #expect(ranged.messages.count == 4)
            let target = entries(10)[3].hash
            let byHash = service.answer(StoreQueryRequest(requestID: "h", includeData: false, messageHashes: [target]))
            #expect(byHash.messages == [StoreQueryResponse.Entry(messageHash: target)])
            #expect(
                service.answer(StoreQueryRequest(requestID: "x", pubsubTopic: pubsub, messageHashes: [target]))
                    .statusCode == 400)
            #expect(service.answer(StoreQueryRequest(requestID: "x", contentTopics: ["/a/1/x/p"])).statusCode == 400)
            #expect(service.answer(StoreQueryRequest(requestID: "x", timeStart: 5, timeEnd: 4)).statusCode == 400)
            let unknownCursor = WakuMessageHash(bytes: [UInt8](repeating: 1, count: 32))!
            #expect(
                service.answer(StoreQueryRequest(requestID: "x", paginationCursor: unknownCursor)).statusCode == 400)
            // Page size defaults to 20 and is capped at 100.
            for entry in entries(150, start: 10) { _ = try archive.insert(entry) }
            #expect(service.answer(StoreQueryRequest(requestID: "d")).messages.count == 20)
            #expect(service.answer(StoreQueryRequest(requestID: "m", paginationLimit: 1000)).messages.count == 100)
        }
    }

    /// The pager walks every page, drops duplicates and messages that do not match their hash, and stops on a
    /// repeated cursor.
    @Test func pagerDedupAndChecks() throws {
        let archive = InMemoryMessageArchive()
        for entry in entries(25) { _ = try archive.insert(entry) }
        let service = StoreQueryService(archive: archive)
        var pager = StoreHistoryPager(
            criteria: StoreCriteria(pubsubTopic: pubsub, contentTopics: ["/a/1/x/p"]), pageSize: 10,
            generator: SplitMix64(seed: 5))
        var requests = 0
        while let request = pager.nextRequest() {
            requests += 1
            var response = service.answer(request)
            if requests == 2 {
                // A store that repeats a message of the previous page and forges one.
                response.messages.append(response.messages[0])
                var forged = response.messages[1]
                forged.message?.payload = [0xEE]
                response.messages.append(forged)
            }
            try pager.receive(response)
        }
        #expect(requests == 3)
        #expect(pager.results.count == 25)
        #expect(Set(pager.results.map(\.hash)).count == 25)
        #expect(pager.rejectedCount == 1)
        #expect(!pager.isTruncated)

        var looping = StoreHistoryPager(criteria: StoreCriteria(), pageSize: 10, generator: SplitMix64(seed: 6))
        let cursor = entries(1)[0].hash
        for _ in 0..<3 {
            guard let request = looping.nextRequest() else { break }
            try looping.receive(
                StoreQueryResponse(
                    requestID: request.requestID, statusCode: 200, statusDescription: "OK", paginationCursor: cursor))
        }
        #expect(looping.isFinished && looping.isTruncated && looping.pages == 2)

        var failing = StoreHistoryPager(criteria: StoreCriteria(), generator: SplitMix64(seed: 7))
        let next = failing.nextRequest()
        let request = try #require(next)
        #expect(throws: StoreHistoryPager.Failure.mismatchedRequestID) {
            try failing.receive(StoreQueryResponse(requestID: "other", statusCode: 200, statusDescription: ""))
        }
        #expect(throws: StoreHistoryPager.Failure.status(code: 503, description: "down")) {
            try failing.receive(
                StoreQueryResponse(requestID: request.requestID, statusCode: 503, statusDescription: "down"))
        }
    }

    /// Retention deletes by age, then the oldest beyond the count, on both archives alike.
    @Test func retention() throws {
        for archive in try archives() {
            for entry in entries(20) { _ = try archive.insert(entry) }
            #expect(try archive.prune(receivedBefore: 5_005, maxCount: 100) == 5)
            #expect(try archive.prune(receivedBefore: 0, maxCount: 10) == 5)
            #expect(try archive.count() == 10)
            let left = try archive.select(StoreCriteria(), after: nil, forward: true, limit: 100)
            #expect(Set(left.map(\.receivedAt)) == Set((5_010..<5_020).map(Int64.init)))
        }
    }

    /// The SQLite archive persists across reopening the file.
    @Test func sqlitePersists() throws {
        let path = "/tmp/waku-store-test-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let archive = try SQLiteMessageArchive(path: path)
            for entry in entries(3) { _ = try archive.insert(entry) }
        }
        let reopened = try SQLiteMessageArchive(path: path)
        #expect(try reopened.count() == 3)
        #expect(
            try reopened.select(StoreCriteria(), after: nil, forward: true, limit: 10).map(\.message)
                == entries(3).sorted { $0.sortKey < $1.sortKey }.map(\.message))
    }
}
