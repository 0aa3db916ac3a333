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

    @Test func labelValuesAreEscaped() {
        #expect(MetricsExposition.labelText(["a": "x\"y\\z\nw"]) == "{a=\"x\\\"y\\\\z\\nw\"}")
        #expect(MetricsExposition.number(.infinity) == "+Inf")
        #expect(MetricsExposition.number(2) == "2.0")
        #expect(MetricsExposition.number(0.25) == "0.25")
    }
}
