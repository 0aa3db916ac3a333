import Foundation
import Testing

@testable import NimbusBeaconSim

extension EndToEnd {
    @Suite("Scenario controls")
    struct ScenarioEndToEndTests {
        @Test func controlEndpointDrivesEachCondition() throws {
            let dataDir = Paths.temporaryDirectory("scenario")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: dataDir)
            let node = try SimNode(["--doppelganger-detection=false"], dataDir: dataDir)
            try node.waitForREST()
            #expect(try node.syncing()["is_syncing"] as? Bool == false)

            // Execution client offline: optimistic, el_offline, engine time-outs; Nimbus's health stays 200.
            try node.scenario("{\"el_offline\": true}")
            var syncing = try node.syncing()
            #expect(syncing["el_offline"] as? Bool == true)
            #expect(syncing["is_optimistic"] as? Bool == true)
            #expect(try node.call("beacon", "GET", "/eth/v1/node/health").status == 200)
            Thread.sleep(forTimeInterval: 1.2)
            #expect(try node.metrics.get("/metrics").text.contains("engine_api_timeouts_total{request=\"newPayload\""))
            try node.scenario("{\"el_offline\": false}")
            #expect(try node.syncing()["el_offline"] as? Bool == false)

            // Sync falling behind: the head stops until it is 5 slots back, then follows there; syncing (206).
            try node.scenario("{\"sync_lag\": 5}")
            #expect(eventually(timeout: 8) { (try? node.syncing()["sync_distance"] as? String) == "5" })
            Thread.sleep(forTimeInterval: 1)
            syncing = try node.syncing()
            #expect(syncing["sync_distance"] as? String == "5", "it stays 5 behind")
            #expect(syncing["is_syncing"] as? Bool == true)
            #expect(try node.call("beacon", "GET", "/eth/v1/node/health").status == 206)
            #expect(
                try node.call("beacon", "POST", "/eth/v1/validator/duties/attester/1", body: "[\"1\"]").status == 503)
            try node.scenario("{\"sync_lag\": 0}")
            #expect(eventually(timeout: 3) { (try? node.syncing()["is_syncing"] as? Bool) == false })

            // Peers dropping: to zero, the head stops and the node falls behind.
            try node.scenario("{\"peers\": 0}")
            #expect(try node.call("beacon", "GET", "/eth/v1/node/peer_count").text.contains("\"connected\":\"0\""))
            #expect(eventually(timeout: 4) { (try? node.syncing()["is_syncing"] as? Bool) == true })
            try node.scenario("{\"peers\": 12}")
            #expect(eventually(timeout: 4) { (try? node.syncing()["is_syncing"] as? Bool) == false })
            #expect(try node.call("beacon", "GET", "/eth/v1/node/peers").text.contains("\"count\":12"))

            // Missed attestations while healthy.
            try node.scenario("{\"missed_attestation_rate\": 1}")
            #expect(eventually(timeout: 7) { ((try? node.ledger().missedCount(reason: .injected)) ?? 0) >= 1 })
            try node.scenario("{\"missed_attestation_rate\": 0}")

            // A version that stays unhealthy: the head stops for good.
            try node.scenario("{\"unhealthy\": true}")
            #expect(eventually(timeout: 4) { (try? node.syncing()["is_syncing"] as? Bool) == true })

            // Bad updates are refused.
            #expect(
                try node.control.request("POST", "/sim/v1/scenario", body: Array("{\"peers\": -1}".utf8)).status == 400)
            #expect(try node.control.request("POST", "/sim/v1/scenario", body: Array("nonsense".utf8)).status == 400)

            // A crash at a given time: the process exits with the status asked for.
            try node.scenario("{\"crash_after\": 0.5, \"crash_exit_code\": 3}")
            #expect(node.process.waitForExit(timeout: 5) == 3)
            try node.validateExchanges()
        }

        @Test func scenarioFlagsAtStart() throws {
            // Start-up delay: control answers at once, REST only after the delay.
            let delayed = try SimNode(["--sim-startup-delay=2.5", "--sim-el-offline", "--sim-peers=7"])
            try delayed.waitForControl()
            #expect((try? delayed.rest.get("/eth/v1/node/health")) == nil, "REST is not served while starting")
            let early = try delayed.metrics.get("/metrics")
            #expect(early.status == 200, "metrics are, as in Nimbus (its server starts before the database loads)")
            #expect(early.text.contains("\nbeacon_slot 0.0\n") && early.text.contains("\nnbc_peers 0.0\n"))
            try delayed.waitForREST(timeout: 6)
            #expect(try delayed.syncing()["el_offline"] as? Bool == true)
            #expect(try delayed.call("beacon", "GET", "/eth/v1/node/peer_count").text.contains("\"connected\":\"7\""))
            try delayed.validateExchanges()
            delayed.process.stop()

            let lagging = try SimNode(["--sim-sync-lag=3", "--sim-unhealthy"])
            try lagging.waitForREST()
            #expect(try lagging.call("beacon", "GET", "/eth/v1/node/health").status == 206, "starts 3 slots behind")
            #expect(try lagging.syncing()["is_syncing"] as? Bool == true)
            Thread.sleep(forTimeInterval: 2)
            #expect(
                (Int(try lagging.syncing()["sync_distance"] as? String ?? "") ?? 0) >= 4, "stuck: falls further behind")
            try lagging.validateExchanges()
            lagging.process.stop()

            // The start-up delay can be cut short from the control endpoint.
            let slow = try SimNode(["--sim-startup-delay=60"])
            try slow.waitForControl()
            try slow.scenario("{\"startup_delay\": 0}")
            try slow.waitForREST(timeout: 3)
            slow.process.stop()

            // A doppelganger appearing while detection listens (control endpoint rather than flag).
            let dataDir = Paths.temporaryDirectory("doppel-control")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: dataDir)
            let watched = try SimNode([], dataDir: dataDir)
            try watched.waitForControl()
            try watched.scenario("{\"doppelganger\": true}")
            #expect(watched.process.waitForExit(timeout: 20) == 129)

            // Missed attestations from the start: the ledger books them and the validator monitor counts misses.
            let missingDir = Paths.temporaryDirectory("missing")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: missingDir)
            let missing = try SimNode(
                ["--doppelganger-detection=false", "--sim-missed-attestation-rate=1"],
                dataDir: missingDir)
            try missing.waitForREST()
            #expect(
                eventually(timeout: 10) {
                    (try? missing.metrics.get("/metrics").text.contains(
                        "validator_monitor_prev_epoch_on_chain_attester_miss_total{validator=\"total\"} 1.0")) == true
                })
            #expect(try missing.ledger().missedCount(reason: .injected) >= 1)
            missing.process.stop()

            let crashing = try SimNode(["--sim-crash-after=1.5", "--sim-crash-exit-code=5"])
            #expect(crashing.process.waitForExit(timeout: 10) == 5)
            #expect(crashing.process.output.contains("Simulated crash"))
        }
    }
}
