import Testing
@testable import NimbusConfig

@Suite struct NodeLaunchTests {
    static let base = """
        [[nodes]]
        name = "hoodi"
        rest = "http://127.0.0.1:5052"
        data_dir = "/var/lib/nimbus/shared_hoodi_0"
        """

    @Test func aLaunchTableIsReadWithNimbusDefaults() throws {
        let config = try NodeManagerConfig(toml: Self.base + """

            [nodes.launch]
            binary = "/usr/bin/nimbus_beacon_node"
            network = "hoodi"
            el = ["http://127.0.0.1:8551"]
            jwt_secret = "/var/lib/nimbus/jwt.hex"
            extra_args = ["--suggested-fee-recipient=0x0000000000000000000000000000000000000001"]
            """, source: "t.toml")
        let launch = try #require(config.nodes.first?.launch)
        #expect(launch == NodeLaunch(
            binary: "/usr/bin/nimbus_beacon_node", network: "hoodi", user: nil, el: ["http://127.0.0.1:8551"],
            jwtSecret: "/var/lib/nimbus/jwt.hex", doppelgangerDetection: true,
            extraArgs: ["--suggested-fee-recipient=0x0000000000000000000000000000000000000001"]))
    }

    @Test func aNodeWithoutLaunchIsOnlyWatched() throws {
        let config = try NodeManagerConfig(toml: Self.base, source: "t.toml")
        #expect(config.nodes.first?.launch == nil)
    }

    @Test(arguments: [
        ("[nodes.launch]\nnetwork = \"hoodi\"",
         "t.toml: [[nodes]] \"hoodi\" launch needs binary, the absolute path of nimbus_beacon_node"),
        ("[nodes.launch]\nbinary = \"nimbus_beacon_node\"\nnetwork = \"hoodi\"",
         "t.toml: [[nodes]] \"hoodi\" launch needs binary, the absolute path of nimbus_beacon_node"),
        ("[nodes.launch]\nbinary = \"/b\"",
         "t.toml: [[nodes]] \"hoodi\" launch needs network (e.g. \"hoodi\" or \"mainnet\")"),
        ("[nodes.launch]\nbinary = \"/b\"\nnetwork = \"hoodi\"\nextra_args = [\"--rest-port=1\"]",
         "t.toml: [[nodes]] \"hoodi\" launch: extra_args may not set --rest-port: the node manager generates it from the node's entry"),
        ("[nodes.launch]\nbinary = \"/b\"\nnetwork = \"hoodi\"\nextra_args = [\"--data-dir:/x\"]",
         "t.toml: [[nodes]] \"hoodi\" launch: extra_args may not set --data-dir:/x: the node manager generates it from the node's entry"),
        ("[nodes.launch]\nbinary = \"/b\"\nnetwork = \"hoodi\"\nuser = \"a b\"",
         "t.toml: [[nodes]] \"hoodi\" launch: user \"a b\" is not an account name"),
        ("[nodes.launch]\nbinary = \"/b\"\nnetwork = \"hoodi\"\nrestart = true",
         "t.toml: unknown key \"nodes[0].launch.restart\""),
        ("[nodes.launch]\nbinary = \"/b\"\nnetwork = \"hoodi\"\ndoppelganger_detection = \"no\"",
         "t.toml: nodes[0].launch.doppelganger_detection must be true or false"),
    ])
    func badLaunchTablesAreRefusedWithTheirPlace(extra: String, message: String) {
        #expect(throws: NodeManagerConfig.Invalid(message)) {
            try NodeManagerConfig(toml: Self.base + "\n" + extra, source: "t.toml")
        }
    }

    @Test func aLaunchedNodeNeedsADataDirectoryAndATokenForItsKeymanager() {
        #expect(throws: NodeManagerConfig.Invalid(
            "t.toml: [[nodes]] \"a\": a launched node needs data_dir, an absolute path (--data-dir)")) {
            try NodeManagerConfig(toml: """
                [[nodes]]
                name = "a"
                rest = "http://127.0.0.1:5052"
                [nodes.launch]
                binary = "/b"
                network = "hoodi"
                """, source: "t.toml")
        }
        #expect(throws: NodeManagerConfig.Invalid(
            "t.toml: [[nodes]] \"a\": a launched node with keymanager needs keymanager_token_file "
                + "(Nimbus refuses --keymanager without --keymanager-token-file)")) {
            try NodeManagerConfig(toml: """
                [[nodes]]
                name = "a"
                rest = "http://127.0.0.1:5052"
                keymanager = "http://127.0.0.1:5052"
                data_dir = "/d"
                [nodes.launch]
                binary = "/b"
                network = "hoodi"
                """, source: "t.toml")
        }
    }
}
