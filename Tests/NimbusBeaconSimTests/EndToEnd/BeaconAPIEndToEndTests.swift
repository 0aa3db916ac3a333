import Foundation
import Testing

@testable import NimbusBeaconSim

extension EndToEnd {
    @Suite("Beacon API")
    struct BeaconAPIEndToEndTests {
        @Test func everyEndpointAnswersAsTheSpecSays() throws {
            let dataDir = Paths.temporaryDirectory("beacon")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: dataDir)
            let node = try SimNode(["--doppelganger-detection=false"], dataDir: dataDir)
            try node.waitForREST()
            // Node.
            #expect(try node.call("beacon", "GET", "/eth/v1/node/health").status == 200)
            #expect(try node.call("beacon", "GET", "/eth/v1/node/health?syncing_status=299").status == 200)
            let syncing = try node.syncing()
            #expect(syncing["is_syncing"] as? Bool == false)
            #expect(syncing["el_offline"] as? Bool == false)
            let version = try node.call("beacon", "GET", "/eth/v1/node/version")
            #expect(version.text.contains("\"Nimbus/v24.9.0-f54a03-stateofus\""))
            try node.call("beacon", "GET", "/eth/v1/node/identity")
            let count = try node.call("beacon", "GET", "/eth/v1/node/peer_count")
            #expect(count.text.contains("\"connected\":\"80\""))
            let peers = try node.call("beacon", "GET", "/eth/v1/node/peers")
            #expect(peers.text.contains("\"count\":80"))
            try node.call("beacon", "GET", "/eth/v1/node/peers?state=connected&direction=inbound")
            // Beacon.
            let genesis = try node.call("beacon", "GET", "/eth/v1/beacon/genesis")
            #expect(genesis.text.contains("\"genesis_time\":\"\(Int(node.genesis))\""))
            let mine = try node.call("beacon", "GET", "/eth/v1/beacon/states/head/validators")
            #expect(mine.text.contains(TestKeys.vectorPubkey))
            let status = try node.status()
            let index = try #require((status["validators"] as? [[String: Any]])?.first?["index"] as? String)
            let byID = try node.call(
                "beacon", "GET", "/eth/v1/beacon/states/head/validators?id=\(index)&id=3&status=active")
            #expect(byID.text.contains(TestKeys.vectorPubkey))
            let single = try node.call(
                "beacon", "GET", "/eth/v1/beacon/states/finalized/validators/\(TestKeys.vectorPubkey)")
            #expect(single.status == 200)
            #expect(single.text.contains("\"finalized\":true"))
            #expect(try node.call("beacon", "GET", "/eth/v1/beacon/states/head/validators/99999").status == 404)
            #expect(try node.call("beacon", "GET", "/eth/v1/beacon/states/sideways/validators/1").status == 400)
            #expect(try node.call("beacon", "GET", "/eth/v1/beacon/states/99999999/finality_checkpoints").status == 404)
            #expect(try node.call("beacon", "GET", "/eth/v1/beacon/states/head/finality_checkpoints").status == 200)
            #expect(try node.call("beacon", "GET", "/eth/v1/beacon/states/genesis/finality_checkpoints").status == 200)
            #expect(
                try node.call("beacon", "GET", "/eth/v1/beacon/states/justified/finality_checkpoints").status == 200)
            // Validator duties.
            let wallEpoch =
                UInt64((Date().timeIntervalSince1970 - node.genesis) / SimNode.slotSeconds) / SimNode.slotsPerEpoch
            let duties = try node.call(
                "beacon", "POST", "/eth/v1/validator/duties/attester/\(wallEpoch)",
                body: "[\"\(index)\",\"1\"]")
            #expect(duties.status == 200)
            #expect(duties.text.contains(TestKeys.vectorPubkey))
            #expect(
                try node.call("beacon", "POST", "/eth/v1/validator/duties/attester/\(wallEpoch)", body: "[]").status
                    == 400)
            #expect(
                try node.call(
                    "beacon", "POST", "/eth/v1/validator/duties/attester/\(wallEpoch + 5)",
                    body: "[\"1\"]"
                ).status == 400)
            let proposers = try node.call("beacon", "GET", "/eth/v1/validator/duties/proposer/\(wallEpoch)")
            #expect(proposers.status == 200)
            let proposerData = try #require(
                (try JSONSerialization.jsonObject(with: Data(proposers.body)) as? [String: Any])?["data"] as? [Any])
            #expect(proposerData.count == 4)
            #expect(try node.call("beacon", "GET", "/eth/v1/validator/duties/proposer/x").status == 400)
            // Config and events.
            let spec = try node.call("beacon", "GET", "/eth/v1/config/spec")
            #expect(spec.text.contains("\"SLOTS_PER_EPOCH\":\"4\""))
            #expect(try node.call("beacon", "GET", "/eth/v1/events?topics=voluntary_exit").status == 400)
            // Unknown paths are 404 (not a spec'd exchange, so not recorded).
            #expect(try node.call("beacon", "GET", "/eth/v1/nope", record: false).status == 404)
            try node.validateExchanges()
        }

        @Test func headAndFinalityEventsArriveAtSlotBoundaries() throws {
            let node = try SimNode(["--doppelganger-detection=false"])
            try node.waitForREST()
            var arrivals: [(Date, String)] = []
            let response = try node.rest.eventStream(
                "/eth/v1/events?topics=head,finalized_checkpoint", seconds: 6.5, arrived: { arrivals.append(($0, $1)) })
            #expect(response.status == 200)
            #expect(response.contentType == "text/event-stream")
            node.record(
                Oracle.Exchange(
                    api: "beacon", method: "GET", path: "/eth/v1/events?topics=head,finalized_checkpoint",
                    status: response.status, contentType: response.contentType, body: response.text))
            let heads = response.text.components(separatedBy: "event: head\ndata: ").dropFirst().compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.prefix { $0 != "\n" }.utf8)) as? [String: Any]
            }
            let slots = heads.compactMap { ($0["slot"] as? String).flatMap(UInt64.init) }
            #expect(slots.count >= 5, "one head per 1-second slot: \(response.text)")
            #expect(zip(slots, slots.dropFirst()).allSatisfy { $1 == $0 + 1 })
            #expect(response.text.contains("event: finalized_checkpoint"), "an epoch (4 slots) passed")
            // Each head event is sent within a fraction of a slot after the slot starts.
            for (date, text) in arrivals where text.contains("event: head") {
                let intoSlot = (date.timeIntervalSince1970 - node.genesis).truncatingRemainder(
                    dividingBy: SimNode.slotSeconds)
                #expect(intoSlot < 0.45, "head event \(intoSlot) s into its slot")
            }
            if let first = heads.first {
                #expect(first["epoch_transition"] is Bool)
                #expect(first["current_duty_dependent_root"] is String)
            }
            try node.validateExchanges()
        }

        @Test func metricsUseNimbusNames() throws {
            let dataDir = Paths.temporaryDirectory("metrics")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: dataDir)
            let node = try SimNode(
                ["--doppelganger-detection=false", "--sim-version=24.10.0", "--sim-commit=0123456789ab"],
                dataDir: dataDir)
            try node.waitForREST()
            Thread.sleep(forTimeInterval: 2.2)  // at least one slot end with a known duty
            let response = try node.metrics.get("/metrics")
            #expect(response.status == 200)
            #expect(response.contentType.hasPrefix("text/plain"))
            let families = try Oracle.parseMetrics(response.text)
            let samples = families.values.flatMap(\.samples)
            func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
                samples.first { $0.name == name && $0.labels == labels }?.value
            }
            let wall = Double(UInt64((Date().timeIntervalSince1970 - node.genesis) / SimNode.slotSeconds))
            #expect(abs((value("beacon_slot") ?? 0) - wall) <= 1)
            #expect(abs((value("beacon_head_slot") ?? 0) - wall) <= 1)
            #expect(value("nbc_peers") == 80)
            #expect(value("version", ["version": "v24.10.0-012345-stateofus", "commit": "0123456789ab"]) == 1)
            let wait = try #require(value("next_action_wait"))
            #expect(wait >= 0 && wait <= 8, "within the current or next epoch")
            #expect(samples.contains { $0.name == "next_proposal_wait" })
            #expect(samples.contains { $0.name == "sync_committee_active" })
            #expect(samples.contains { $0.name == "beacon_finalized_epoch" })
            #expect(samples.contains { $0.name == "beacon_attestations_sent_total" })
            #expect(
                (value(
                    "engine_api_responses_total",
                    [
                        "url": "http://127.0.0.1:8551", "request": "newPayload",
                        "status": "200",
                    ]) ?? 0) >= 1)
            #expect(families["engine_api_timeouts"]?.type == "counter")
            #expect(families["validator_monitor_prev_epoch_on_chain_attester_hit"]?.type == "counter")
            #expect(families["validator_monitor_prev_epoch_on_chain_attester_miss"]?.type == "counter")
            #expect(try node.metrics.get("/other").status == 404)
        }
    }
}
