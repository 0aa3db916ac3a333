import Logging

extension WakuNode {
    /// Answers a store query from the archive.
    func serveStore(peer: WakuPeerID, stream: any WakuStream) async {
        defer { Task { await stream.close() } }
        guard let archive else { return }
        do {
            let frame = try await stream.readFrame(maxSize: StoreQueryRequest.maxEncodedSize)
            let response: StoreQueryResponse
            do {
                response = StoreQueryService(archive: archive).answer(try StoreQueryRequest(decoding: frame))
            } catch {
                response = StoreQueryResponse(requestID: "N/A", statusCode: 400, statusDescription: "\(error)")
            }
            try await stream.writeFrame(response.encoded())
            await stream.closeWrite()
        } catch {
            logger.debug("store request failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    /// Runs a paged history query: against the local archive in service mode, against store peers (one after
    /// another until one answers completely) in client mode.
    func queryHistory(_ criteria: StoreCriteria) async throws -> [StoreHistoryPager.Result] {
        let seed = generator.next()
        if let archive {
            var pager = StoreHistoryPager(
                criteria: criteria, maxPages: configuration.maxHistoryPages, generator: SplitMix64(seed: seed))
            let service = StoreQueryService(archive: archive)
            while let request = pager.nextRequest() {
                do {
                    try pager.receive(service.answer(request))
                } catch {
                    throw WakuNodeError.historyFailed(error.description)
                }
            }
            return pager.results
        }
        let peers = await waitForPeers(serving: [WakuProtocolID.store])
        guard !peers.isEmpty else { throw WakuNodeError.noServicePeer(protocolID: WakuProtocolID.store) }
        var lastFailure = ""
        let transport = transport
        for peer in peers {
            var pager = StoreHistoryPager(
                criteria: criteria, maxPages: configuration.maxHistoryPages, generator: SplitMix64(seed: seed))
            do {
                while let request = pager.nextRequest() {
                    let response = try await withDeadline("store query") {
                        let (stream, _) = try await transport.openStream(to: peer, protocols: [WakuProtocolID.store])
                        defer { Task { await stream.close() } }
                        try await stream.writeFrame(request.encoded())
                        await stream.closeWrite()
                        return try StoreQueryResponse(
                            decoding: try await stream.readFrame(maxSize: StoreQueryResponse.maxEncodedSize))
                    }
                    try pager.receive(response)
                }
                if pager.rejectedCount > 0 {
                    logger.info(
                        "store peer returned messages that do not match their hashes",
                        metadata: ["peer": "\(peer)", "count": "\(pager.rejectedCount)"])
                }
                return pager.results
            } catch {
                lastFailure = "\(peer): \(error)"
                logger.debug("store query failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
            }
        }
        throw WakuNodeError.historyFailed(lastFailure)
    }
}
