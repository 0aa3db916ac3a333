import NimbusConfig
import NimbusInstallerCore
import Testing

@Suite struct NodeCommandLineTests {
    @Test func everyFlagComesFromTheNodesEntryThenTheExtraArguments() {
        var node = ManagedNode(
            name: "hoodi", rest: "http://127.0.0.1:5052", metrics: "http://127.0.0.1:8008",
            keymanager: "http://127.0.0.1:5052", keymanagerTokenFile: "/var/lib/nimbus/token",
            dataDir: "/var/lib/nimbus/shared_hoodi_0")
        node.launch = NodeLaunch(
            binary: "/usr/bin/nimbus_beacon_node", network: "hoodi", el: ["http://127.0.0.1:8551", "http://10.0.0.2:8551"],
            jwtSecret: "/var/lib/nimbus/jwt.hex", extraArgs: ["--graffiti=home"])
        #expect(NodeCommandLine.arguments(for: node) == [
            "/usr/bin/nimbus_beacon_node", "--network=hoodi", "--data-dir=/var/lib/nimbus/shared_hoodi_0",
            "--non-interactive", "--rest", "--rest-address=127.0.0.1", "--rest-port=5052",
            "--metrics", "--metrics-address=127.0.0.1", "--metrics-port=8008",
            "--keymanager", "--keymanager-address=127.0.0.1", "--keymanager-port=5052",
            "--keymanager-token-file=/var/lib/nimbus/token",
            "--el=http://127.0.0.1:8551", "--el=http://10.0.0.2:8551", "--jwt-secret=/var/lib/nimbus/jwt.hex",
            "--doppelganger-detection=true", "--graffiti=home",
        ])
    }

    @Test func aMinimalNodeGetsRESTAndDoppelgangerDetectionOnly() {
        var node = ManagedNode(name: "m", rest: "http://[::1]:5053", dataDir: "/d")
        node.launch = NodeLaunch(binary: "/b", network: "mainnet", doppelgangerDetection: false)
        #expect(NodeCommandLine.arguments(for: node) == [
            "/b", "--network=mainnet", "--data-dir=/d", "--non-interactive", "--rest", "--rest-address=::1",
            "--rest-port=5053", "--doppelganger-detection=false",
        ])
    }

    @Test func aWatchedNodeHasNoCommandLine() {
        #expect(NodeCommandLine.arguments(for: ManagedNode(name: "w", rest: "http://127.0.0.1:5052", dataDir: "/d")) == nil)
    }
}
