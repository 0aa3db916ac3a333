import Testing

@testable import NimbusBeaconSim

@Suite("Command line (Nimbus's option names and forms)")
struct CommandLineTests {
    func node(_ arguments: [String]) throws -> NodeOptions {
        guard case .node(let options) = try SimCommand.parse(arguments).get() else {
            throw SimCommand.Failure(message: "not a node command")
        }
        return options
    }

    @Test func defaultsAreNimbus() throws {
        let options = try node([])
        #expect(options.network.name == "mainnet")
        #expect(options.rest == .init(address: "127.0.0.1", port: 5052))
        #expect(options.metrics == .init(address: "127.0.0.1", port: 8008))
        #expect(options.keymanager == .init(address: "127.0.0.1", port: 5052))
        #expect(!options.restEnabled && !options.metricsEnabled && !options.keymanagerEnabled)
        #expect(options.doppelgangerDetection)
        #expect(options.dataDir.hasSuffix("/.cache/nimbus/BeaconNode"))
        #expect(options.version.full == "v24.9.0-f54a03-stateofus")
    }

    @Test func equalsColonAndSpaceFormsAgree() throws {
        let forms = [
            ["--rest-port=6000", "--network=holesky", "--data-dir=/x"],
            ["--rest-port:6000", "--network:holesky", "--data-dir:/x"],
            ["--rest-port", "6000", "--network", "holesky", "-d", "/x"],
        ]
        for arguments in forms {
            let options = try node(arguments)
            #expect(options.rest.port == 6000)
            #expect(options.network.name == "holesky")
            #expect(options.dataDir == "/x")
            #expect(options.validatorsDir == "/x/validators")
        }
    }

    @Test func booleansTakeExplicitValues() throws {
        #expect(try node(["--doppelganger-detection=false"]).doppelgangerDetection == false)
        #expect(try node(["--doppelganger-detection:off"]).doppelgangerDetection == false)
        #expect(try node(["--rest"]).restEnabled)
        #expect(try node(["--rest=true", "--metrics:true"]).metricsEnabled)
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["--rest=maybe"]).get() }
    }

    @Test func executionClientAliasesAccumulate() throws {
        let options = try node(["--el=http://a:8551", "--web3-url", "http://b:8551"])
        #expect(options.executionURLs == ["http://a:8551", "http://b:8551"])
        #expect(options.simulationConfiguration.executionURL == "http://a:8551")
    }

    @Test func unknownOptionsAndBadValuesAreRefused() {
        #expect(throws: SimCommand.Failure(message: "Unrecognized option 'no-such-flag'")) {
            try SimCommand.parse(["--no-such-flag"]).get()
        }
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["--rest-port=70000"]).get() }
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["--network=atlantis"]).get() }
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["--sim-version=banana"]).get() }
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["--rest-port"]).get() }
    }

    @Test func keymanagerNeedsATokenFile() throws {
        let options = try node(["--keymanager"])
        #expect(
            options.keymanagerProblem?.message
                == "To enable the Keymanager API, you must also specify the --keymanager-token-file option.")
        #expect(options.keymanagerProblem?.status == 1)
        #expect(try node(["--keymanager", "--keymanager-token-file=/t"]).keymanagerProblem == nil)
    }

    @Test func keymanagerSharesRESTOnlyOnTheSameAddressAndPort() throws {
        #expect(try node(["--rest", "--keymanager", "--keymanager-token-file=/t"]).keymanagerSharesREST)
        #expect(
            !(try node(["--rest", "--keymanager", "--keymanager-port=5053", "--keymanager-token-file=/t"])
                .keymanagerSharesREST))
        #expect(
            !(try node(["--rest", "--keymanager", "--keymanager-address=0.0.0.0", "--keymanager-token-file=/t"])
                .keymanagerSharesREST))
    }

    @Test func versionAndSimulatedVersion() throws {
        guard
            case .version(let version) = try SimCommand.parse([
                "--version", "--sim-version=24.10.0",
                "--sim-commit=abcdef0123",
            ]).get()
        else {
            Issue.record("not a version command")
            return
        }
        #expect(version.full == "v24.10.0-abcdef-stateofus")
        #expect(version.agent == "Nimbus/v24.10.0-abcdef-stateofus")
        let lines = version.banner.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Nimbus beacon node v24.10.0-abcdef-stateofus")
        #expect(lines[1].hasPrefix("Copyright (c) 2019-"))
        #expect(lines[2].isEmpty && lines[4].isEmpty)
        #expect(lines[3].hasPrefix("eth2 specification v"))
        #expect(lines[5].hasPrefix("Nim Compiler Version "))
    }

    @Test func trustedNodeSyncTakesItsDocumentedForms() throws {
        let result = try SimCommand.parse([
            "trustedNodeSync", "--network:holesky", "--data-dir=/tmp/x", "--trusted-node-url=http://127.0.0.1:5052",
            "--backfill=false", "--state-id:finalized",
        ]).get()
        guard case .trustedNodeSync(let options) = result else {
            Issue.record("not trustedNodeSync")
            return
        }
        #expect(options.network.name == "holesky")
        #expect(options.dataDir == "/tmp/x")
        #expect(options.trustedNodeURL == "http://127.0.0.1:5052")
        #expect(!options.backfill)
        #expect(options.stateID == "finalized")
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["trustedNodeSync", "--data-dir=/x"]).get() }
        #expect(throws: SimCommand.Failure.self) {
            try SimCommand.parse(["trustedNodeSync", "--data-dir=/x", "--trusted-node-url=u", "--rest"]).get()
        }
    }

    @Test func trustedCheckpointIsTheFinalizedEpochStart() throws {
        guard
            case .trustedNodeSync(let options) = try SimCommand.parse([
                "trustedNodeSync", "--data-dir=/x", "--trusted-node-url=u", "--sim-genesis-time=0",
                "--sim-seconds-per-slot=1", "--sim-slots-per-epoch=4",
            ]).get()
        else { return }
        #expect(try options.checkpointSlot(now: 103.5).get() == 92, "wall slot 103, epoch 25, finalized 23")
    }

    @Test func scenarioFlags() throws {
        let options = try node([
            "--sim-startup-delay=2.5", "--sim-el-offline", "--sim-peers=3", "--sim-sync-lag=4", "--sim-crash-after=9",
            "--sim-crash-exit-code=7", "--sim-unhealthy", "--sim-missed-attestation-rate=0.25", "--sim-doppelganger",
            "--sim-control-port=9999", "--sim-missed-proposal-rate=0.5",
        ])
        var expected = Scenario()
        expected.startupDelay = 2.5
        expected.elOffline = true
        expected.peers = 3
        expected.syncLag = 4
        expected.crashExitCode = 7
        expected.unhealthy = true
        expected.missedAttestationRate = 0.25
        expected.missedProposalRate = 0.5
        expected.doppelganger = true
        #expect(options.scenario == expected)
        #expect(options.crashAfter == 9)
        #expect(options.controlPort == 9999)
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["--sim-missed-attestation-rate=2"]).get() }
        #expect(throws: SimCommand.Failure.self) { try SimCommand.parse(["--sim-missed-proposal-rate=1.5"]).get() }
    }
}
