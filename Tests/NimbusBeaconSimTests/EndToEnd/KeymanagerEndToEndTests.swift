import Foundation
import Testing

@testable import NimbusBeaconSim

extension EndToEnd {
    @Suite("Keymanager API")
    struct KeymanagerEndToEndTests {
        static func importBody(_ keystores: [String], passwords: [String], protection: String? = nil) -> String {
            var members: [(String, JSONValue)] = [
                ("keystores", .array(keystores.map(JSONValue.string))),
                ("passwords", .array(passwords.map(JSONValue.string))),
            ]
            if let protection { members.append(("slashing_protection", .string(protection))) }
            return JSONValue.object(members).text
        }

        @Test func bearerTokenIsRequiredWithNimbusStatusCodes() throws {
            let node = try SimNode(keymanager: .sharedWithREST)
            try node.waitForREST()
            #expect(try node.call("keymanager", "GET", "/eth/v1/keystores").status == 401)
            #expect(
                try node.call("keymanager", "GET", "/eth/v1/keystores", headers: ["Authorization": "Basic abc"]).status
                    == 401)
            #expect(
                try node.call("keymanager", "GET", "/eth/v1/keystores", headers: ["Authorization": "Bearer wrong"])
                    .status == 403)
            #expect(
                try node.call("keymanager", "GET", "/eth/v1/remotekeys", headers: ["Authorization": "Bearer wrong"])
                    .status == 403)
            #expect(try node.call("keymanager", "DELETE", "/eth/v1/keystores", body: "{\"pubkeys\":[]}").status == 401)
            #expect(try node.keymanager("GET", "/eth/v1/keystores").status == 200)
            // Shared server: the beacon API is still there.
            #expect(try node.call("beacon", "GET", "/eth/v1/node/version").status == 200)
            try node.validateExchanges()
        }

        @Test func keystoresImportOnlyWithTheRightPasswordAndDeleteWithTheirHistory() throws {
            let node = try SimNode(["--doppelganger-detection=false"], keymanager: .sharedWithREST)
            try node.waitForREST()
            let wrong = try node.keymanager(
                "POST", "/eth/v1/keystores",
                body: Self.importBody([TestKeys.vectorKeystore], passwords: ["not it"]))
            #expect(wrong.status == 200)
            #expect(wrong.text.contains("\"status\":\"error\""))
            #expect(try node.keymanager("GET", "/eth/v1/keystores").text == "{\"data\":[]}")
            let generated = try TestKeys.generated(42, password: "pass word")
            let right = try node.keymanager(
                "POST", "/eth/v1/keystores",
                body: Self.importBody(
                    [TestKeys.vectorKeystore, generated.json], passwords: [TestKeys.vectorPassword, "pass word"]))
            #expect(right.text == "{\"data\":[{\"status\":\"imported\"},{\"status\":\"imported\"}]}")
            let again = try node.keymanager(
                "POST", "/eth/v1/keystores",
                body: Self.importBody([generated.json], passwords: ["pass word"]))
            #expect(again.text == "{\"data\":[{\"status\":\"duplicate\"}]}")
            let listed = try node.keymanager("GET", "/eth/v1/keystores").text
            #expect(listed.contains(TestKeys.vectorPubkey) && listed.contains(generated.pubkey))
            #expect(listed.contains("\"derivation_path\":\"m/12381/60/0/0\""))
            // Nimbus's layout in the data directory.
            let folder = node.dataDir.appendingPathComponent("validators/\(generated.pubkey)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("keystore.json").path))
            #expect(
                FileManager.default.fileExists(
                    atPath: node.dataDir.appendingPathComponent("secrets/\(generated.pubkey)").path))
            // The simulation attached both keys: they get duties.
            let status = try node.status()
            #expect((status["validators"] as? [Any])?.count == 2)
            Thread.sleep(forTimeInterval: 4.5)  // an epoch: both attest
            // Delete one: it stops, and its signing history comes back in EIP-3076 form.
            let deleted = try node.keymanager(
                "DELETE", "/eth/v1/keystores",
                body: JSONValue.object([
                    (
                        "pubkeys",
                        .array([.string(generated.pubkey), .string("0x" + String(repeating: "ab", count: 48))])
                    )
                ]).text, eip3076Fields: ["slashing_protection"])
            #expect(deleted.status == 200)
            #expect(deleted.text.contains("{\"status\":\"deleted\"},{\"status\":\"not_found\"}"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(deleted.body)) as? [String: Any])
            let interchange = try #require(object["slashing_protection"] as? String)
            #expect(interchange.contains(generated.pubkey))
            #expect(
                interchange.contains("\"signed_attestations\":[{"), "the key attested before deletion: \(interchange)")
            #expect(!FileManager.default.fileExists(atPath: folder.path))
            // Deleting again: the history is kept, so the key is reported not_active with it.
            let twice = try node.keymanager(
                "DELETE", "/eth/v1/keystores",
                body: "{\"pubkeys\":[\"\(generated.pubkey)\"]}", eip3076Fields: ["slashing_protection"])
            #expect(twice.text.contains("not_active"))
            // An interchange for another chain is refused.
            let foreign = SlashingInterchange(
                genesisValidatorsRoot: "0x" + String(repeating: "12", count: 32), data: [])
            let refused = try node.keymanager(
                "POST", "/eth/v1/keystores",
                body: Self.importBody(
                    [generated.json], passwords: ["pass word"], protection: try JSONCoding.compactText(foreign)))
            #expect(refused.status == 400)
            #expect(try node.keymanager("POST", "/eth/v1/keystores", body: "{\"keystores\":1}").status == 400)
            try node.validateExchanges()
        }

        @Test func perKeySettingsAndRemoteKeys() throws {
            let dataDir = Paths.temporaryDirectory("settings")
            try TestKeys.install(
                json: TestKeys.vectorKeystore, pubkey: TestKeys.vectorPubkey,
                password: TestKeys.vectorPassword, in: dataDir)
            let node = try SimNode(dataDir: dataDir, keymanager: .ownPort)
            try node.waitForREST()
            let key = TestKeys.vectorPubkey
            let fee = "/eth/v1/validator/\(key)/feerecipient"
            #expect(try node.keymanager("GET", fee).text.contains("0x0000000000000000000000000000000000000000"))
            #expect(
                try node.keymanager(
                    "POST", fee, body: "{\"ethaddress\":\"0xAbcF8e0d4e9587369b2301D0790347320302cc09\"}"
                ).status == 202)
            #expect(try node.keymanager("GET", fee).text.contains("0xabcf8e0d4e9587369b2301d0790347320302cc09"))
            #expect(
                try node.keymanager(
                    "POST", fee, body: "{\"ethaddress\":\"0x0000000000000000000000000000000000000000\"}"
                ).status == 400)
            #expect(try node.keymanager("DELETE", fee).status == 204)
            let gas = "/eth/v1/validator/\(key)/gas_limit"
            #expect(try node.keymanager("GET", gas).text.contains("\"gas_limit\":\"30000000\""))
            #expect(try node.keymanager("POST", gas, body: "{\"gas_limit\":\"36000000\"}").status == 202)
            #expect(try node.keymanager("GET", gas).text.contains("36000000"))
            #expect(try node.keymanager("DELETE", gas).status == 204)
            let graffiti = "/eth/v1/validator/\(key)/graffiti"
            #expect(try node.keymanager("GET", graffiti).text.contains("Nimbus/v24.9.0-f54a03-stateofus"))
            #expect(try node.keymanager("POST", graffiti, body: "{\"graffiti\":\"hello\"}").status == 202)
            #expect(try node.keymanager("GET", graffiti).text.contains("\"graffiti\":\"hello\""))
            #expect(try node.keymanager("DELETE", graffiti).status == 204)
            let unknown = "0x" + String(repeating: "cd", count: 48)
            #expect(try node.keymanager("GET", "/eth/v1/validator/\(unknown)/feerecipient").status == 404)
            #expect(try node.keymanager("GET", "/eth/v1/validator/0x12/gas_limit").status == 400)
            // Remote keys.
            let remote = "0x" + String(repeating: "a9", count: 48)
            let imported = try node.keymanager(
                "POST", "/eth/v1/remotekeys",
                body:
                    "{\"remote_keys\":[{\"pubkey\":\"\(remote)\",\"url\":\"http://127.0.0.1:9000\"}]}")
            #expect(imported.text == "{\"data\":[{\"status\":\"imported\"}]}")
            #expect(try node.keymanager("GET", "/eth/v1/remotekeys").text.contains(remote))
            #expect(
                try node.keymanager("DELETE", "/eth/v1/remotekeys", body: "{\"pubkeys\":[\"\(remote)\"]}").text
                    .contains("deleted"))
            // The keymanager has its own port here: the REST server does not serve it.
            #expect(
                try node.call(
                    "beacon", "GET", "/eth/v1/keystores", headers: ["Authorization": "Bearer \(node.token)"],
                    record: false
                ).status == 404)
            try node.validateExchanges()
        }
    }
}
