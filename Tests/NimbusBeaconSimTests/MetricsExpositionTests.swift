import Foundation
import Testing

@testable import NimbusBeaconSim

@Suite("Prometheus exposition")
struct MetricsExpositionTests {
    @Test func rendersNimbusNamesThatPrometheusParses() throws {
        var metrics = NodeMetrics()
        metrics.beaconSlot = 12
        metrics.beaconHeadSlot = 11
        metrics.nextActionWait = 36
        metrics.peers = 5
        metrics.attestationsSent = 3
        metrics.attesterHits["total"] = 2
        metrics.attesterMisses["total"] = 1
        metrics.engineResponses[.init(url: "http://el:8551", request: "newPayload", status: "200")] = 4
        metrics.engineTimeouts[.init(url: "http://el:8551", request: "newPayload")] = 1
        let text = MetricsExposition(version: .default, createdAt: 1_700_000_000).render(metrics)
        let families = try Oracle.parseMetrics(text)
        let samples = families.values.flatMap(\.samples)
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        #expect(value("beacon_slot") == 12)
        #expect(value("beacon_head_slot") == 11)
        #expect(value("next_action_wait") == 36)
        #expect(value("nbc_peers") == 5)
        #expect(value("beacon_attestations_sent_total") == 3)
        #expect(value("validator_monitor_prev_epoch_on_chain_attester_hit_total", ["validator": "total"]) == 2)
        #expect(value("validator_monitor_prev_epoch_on_chain_attester_miss_total", ["validator": "total"]) == 1)
        #expect(
            value("engine_api_responses_total", ["url": "http://el:8551", "request": "newPayload", "status": "200"])
                == 4)
        #expect(value("engine_api_timeouts_total", ["url": "http://el:8551", "request": "newPayload"]) == 1)
        #expect(value("version", ["version": "v24.9.0-f54a03-stateofus", "commit": "f54a0366a"]) == 1)
        #expect(samples.contains { $0.name == "next_proposal_wait" && $0.value == nil }, "+Inf")
        #expect(families["next_action_wait"]?.type == "gauge")
        #expect(families["next_action_wait"]?.help == "Seconds until the next attestation will be sent")
        #expect(families["beacon_attestations_sent"]?.type == "counter")
        for name in [
            "next_action_wait", "next_proposal_wait", "sync_committee_active", "beacon_slot", "beacon_head_slot",
            "beacon_finalized_epoch", "nbc_peers", "version", "beacon_attestations_sent",
            "validator_monitor_prev_epoch_on_chain_attester_hit",
            "validator_monitor_prev_epoch_on_chain_attester_miss", "engine_api_responses",
            "engine_api_timeouts",
        ] {
            #expect(text.contains("# HELP \(name) "), "HELP for \(name)")
            #expect(text.contains("# TYPE \(name) "), "TYPE for \(name)")
        }
    }

    @Test func proposalBalanceAndProcessMetricsUseNimbusNames() throws {
        var metrics = NodeMetrics()
        metrics.blockProductionErrors = 2
        metrics.blockHits["total"] = 3
        metrics.blockMisses["total"] = 1
        metrics.monitorBalances["total"] = 64_000_009_600
        metrics.attachedBalances = ["a1a1a1a1": 32_000_009_600, "b2b2b2b2": 32_000_000_000]
        metrics.attachedBalanceTotal = 64_000_009_600
        let text = MetricsExposition(version: .default, createdAt: 1_700_000_000, processStartTime: 1_699_999_999.87)
            .render(metrics)
        let families = try Oracle.parseMetrics(text)
        let samples = families.values.flatMap(\.samples)
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        #expect(value("beacon_block_production_errors_total") == 2)
        #expect(value("validator_monitor_block_hit_total", ["validator": "total"]) == 3)
        #expect(value("validator_monitor_block_miss_total", ["validator": "total"]) == 1)
        #expect(value("validator_monitor_balance_gwei", ["validator": "total"]) == 64_000_009_600)
        #expect(value("attached_validator_balance", ["pubkey": "a1a1a1a1"]) == 32_000_009_600)
        #expect(value("attached_validator_balance_total") == 64_000_009_600)
        #expect(value("process_start_time_seconds") == 1_699_999_999.87)
        #expect(families["beacon_block_production_errors"]?.help == "Number of times we failed to produce a block")
        #expect(families["validator_monitor_block_miss"]?.type == "counter")
        #expect(!MetricsExposition(version: .default, createdAt: 1).render(metrics).contains("process_start_time"))
    }

    @Test func theProcessStartIsReadLikeTheKernelKeepsIt() {
        // Field 22 of /proc/self/stat, after a command name holding a space and a parenthesis.
        let stat = "4242 (nimbus (sim)) S 1 4242 4242 0 -1 4194560 100 0 0 0 3 1 0 0 20 0 4 0 12345 1000 200 "
            + "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 0 0 0 0 0 0"
        let system = "cpu  1 2 3 4\nbtime 1700000000\nprocesses 99\n"
        #expect(ProcessStart.parse(selfStat: stat, systemStat: system, ticksPerSecond: 100) == 1_700_000_123.45)
        #expect(ProcessStart.parse(selfStat: stat, systemStat: "cpu 1\n", ticksPerSecond: 100) == nil)
        #expect(ProcessStart.parse(selfStat: "1 (x) S", systemStat: system, ticksPerSecond: 100) == nil)
        let live = ProcessStart.current()
        #expect(live != nil && live! <= Date().timeIntervalSince1970 && live! > 1_600_000_000)
    }

    @Test func labelValuesAreEscaped() {
        #expect(MetricsExposition.labelText(["a": "x\"y\\z\nw"]) == "{a=\"x\\\"y\\\\z\\nw\"}")
        #expect(MetricsExposition.number(.infinity) == "+Inf")
        #expect(MetricsExposition.number(2) == "2.0")
        #expect(MetricsExposition.number(0.25) == "0.25")
    }
}
