import Foundation
import Testing

@testable import NimbusBeaconSim

extension EndToEnd {
    @Suite("Process life cycle")
    struct LifecycleEndToEndTests {
        @Test func versionOutputIsNimbusShaped() throws {
            let (status, output) = try SimProcess.runToEnd(["--version"])
            #expect(status == 0)
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == "Nimbus beacon node v24.9.0-f54a03-stateofus")
            #expect(
                lines[1].hasPrefix("Copyright (c) 2019-") && lines[1].hasSuffix("Status Research & Development GmbH"))
            #expect(lines[2] == "")
            #expect(lines[3].hasPrefix("eth2 specification v"))
            #expect(lines[4] == "")
            #expect(lines[5].hasPrefix("Nim Compiler Version"))
            let (_, other) = try SimProcess.runToEnd(["--sim-version=25.1.0", "--sim-commit=a1b2c3d4e5", "--version"])
            #expect(other.hasPrefix("Nimbus beacon node v25.1.0-a1b2c3-stateofus\n"))
        }

        @Test func keymanagerWithoutATokenFileQuits() throws {
            let (status, output) = try SimProcess.runToEnd([
                "--keymanager", "--data-dir=\(Paths.temporaryDirectory("tok").path)",
            ])
            #expect(status == 1)
            #expect(
                output.contains(
                    "To enable the Keymanager API, you must also specify the --keymanager-token-file option."))
            let empty = Paths.temporaryDirectory("tok").appendingPathComponent("empty")
            try "\n".write(to: empty, atomically: true, encoding: .utf8)
            let (emptyStatus, emptyOutput) = try SimProcess.runToEnd([
                "--keymanager", "--keymanager-token-file=\(empty.path)",
                "--data-dir=\(Paths.temporaryDirectory("tok").path)",
            ])
            #expect(emptyStatus == 1)
            #expect(emptyOutput.contains("The keymanager token should not be empty"))
            let (unknownStatus, unknownOutput) = try SimProcess.runToEnd(["--frobnicate"])
            #expect(unknownStatus == 1)
            #expect(unknownOutput.contains("Unrecognized option 'frobnicate'"))
        }

        @Test func theLedgerCountsDutiesMissedAcrossACrashAndRestart() throws {
            let dataDir = Paths.temporaryDirectory("ledger")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: dataDir)
            let second = try TestKeys.generated(7, password: "pw")
            try TestKeys.install(json: second.json, pubkey: second.pubkey, password: "pw", in: dataDir)
            let node = try SimNode(["--doppelganger-detection=false", "--sim-crash-after=3"], dataDir: dataDir)
            #expect(node.process.waitForExit(timeout: 15) == 1, "the simulated crash exits non-zero")
            let afterCrash = try node.ledger()
            let crashedThrough = try #require(afterCrash.accountedThrough)
            Thread.sleep(forTimeInterval: 4)  // nothing runs: every duty in this gap is missed
            try node.restart()
            try node.waitForREST()
            Thread.sleep(forTimeInterval: 1)
            #expect(node.process.stop() == 0, "SIGTERM is a clean shutdown")
            let ledger = try node.ledger()
            #expect(ledger.runs.count == 2)
            #expect(ledger.runs[0].exitStatus == 1)
            #expect(ledger.runs[1].exitStatus == 0)
            let restartedAt = ledger.runs[1].startedAt
            // Independently: the duties of both keys whose instants fell in the gap.
            let state = try JSONCoding.decode(
                NodeState.self, from: Array(Data(contentsOf: dataDir.appendingPathComponent("beacon-sim/node.json"))))
            let clock = SlotClock(
                genesisTime: node.genesis, secondsPerSlot: SimNode.slotSeconds, slotsPerEpoch: SimNode.slotsPerEpoch)
            let schedule = DutySchedule(clock: clock, validatorCount: 16, hash: SimHash(seed: "nimbus-beacon-sim"))
            let indices = Set(state.validators.map(\.index))
            #expect(indices.count == 2)
            var expected = 0
            for slot in clock.wallSlot(at: crashedThrough)...clock.wallSlot(at: restartedAt) {
                if clock.startTime(of: slot) > crashedThrough, clock.startTime(of: slot) < restartedAt,
                    indices.contains(schedule.proposer(of: slot))
                {
                    expected += 1
                }
                let time = clock.attestationTime(of: slot)
                if time > crashedThrough, time < restartedAt {
                    expected +=
                        indices.filter { schedule.attestationSlot(validator: $0, epoch: clock.epoch(of: slot)) == slot }
                        .count
                }
            }
            #expect(expected >= 2, "a gap of ~4 s covers at least one epoch of two keys")
            #expect(ledger.missedCount(reason: .down) == UInt64(expected))
            // The ledger sub-command prints the same, and with --until-now books the time since the stop too.
            let (status, printed) = try SimProcess.runToEnd(["ledger", "--data-dir=\(dataDir.path)"])
            #expect(status == 0)
            #expect(try JSONCoding.decode(DutyLedger.self, from: Array(printed.utf8)) == ledger)
            Thread.sleep(forTimeInterval: 4.5)
            let (_, later) = try SimProcess.runToEnd(["ledger", "--data-dir=\(dataDir.path)", "--until-now"])
            let pending = try JSONCoding.decode(DutyLedger.self, from: Array(later.utf8))
            #expect(pending.missedCount(reason: .down) >= ledger.missedCount(reason: .down) + 2)
        }

        @Test func twoNodesCannotUseTheSameKeystoresAtOnce() throws {
            let shared = Paths.temporaryDirectory("shared-keys")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: shared)
            let keys = ["--validators-dir=\(shared.path)/validators", "--secrets-dir=\(shared.path)/secrets"]
            let first = try SimNode(keys + ["--doppelganger-detection=false"])
            try first.waitForControl()
            #expect((try first.status()["validators"] as? [Any])?.count == 1)
            let second = try SimNode(keys + ["--doppelganger-detection=false"], label: "second")
            try second.waitForControl()
            #expect((try second.status()["validators"] as? [Any])?.count == 0, "the first node holds the lock")
            #expect(second.process.output.contains("Unable to lock keystore file"))
            first.process.stop()
            try second.restart()
            try second.waitForControl()
            #expect((try second.status()["validators"] as? [Any])?.count == 1, "free once the first node stopped")
        }

        @Test func aDoppelgangerMakesTheNodeExitWith129() throws {
            let dataDir = Paths.temporaryDirectory("doppel")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: dataDir)
            let node = try SimNode(["--sim-doppelganger"], dataDir: dataDir)
            #expect(node.process.waitForExit(timeout: 20) == 129)
            #expect(node.process.output.contains("Doppelganger detection triggered"))
            let ledger = try node.ledger()
            #expect(ledger.missedCount(reason: .doppelganger) >= 1)
            #expect(ledger.runs.last?.exitStatus == 129)
        }

        @Test func trustedNodeSyncPreparesAnEmptyDataDirectory() throws {
            let dataDir = Paths.temporaryDirectory("tns").appendingPathComponent("node")
            let genesis = (Date().timeIntervalSince1970 - 1000).rounded(.down)
            let chain = [
                "--sim-genesis-time=\(Int(genesis))", "--sim-seconds-per-slot=1", "--sim-slots-per-epoch=4",
                "--sim-validator-count=16",
            ]
            let (status, output) = try SimProcess.runToEnd(
                [
                    "trustedNodeSync", "--network:mainnet", "--data-dir=\(dataDir.path)",
                    "--trusted-node-url=http://127.0.0.1:5052", "--backfill=false",
                ] + chain)
            #expect(status == 0)
            #expect(output.contains("Done, your beacon node is ready to serve you!"))
            let (again, refusal) = try SimProcess.runToEnd(
                [
                    "trustedNodeSync", "--data-dir=\(dataDir.path)",
                    "--trusted-node-url=http://127.0.0.1:5052",
                ] + chain)
            #expect(again == 1, "the data directory must be empty")
            #expect(refusal.contains("must be empty"))
            // The node then starts from the checkpoint (a few slots behind) and catches up.
            let node = try SimNode([], dataDir: dataDir, genesis: genesis)
            try node.waitForREST()
            #expect(eventually(timeout: 4) { (try? node.syncing()["is_syncing"] as? Bool) == false })
            let mismatch = try SimProcess.runToEnd(["--data-dir=\(dataDir.path)", "--sim-genesis-time=5"])
            #expect(mismatch.status == 1, "a data directory of another simulated chain is refused")
        }
    }
}
