import Foundation
import Synchronization
import Testing

@testable import NimbusBeaconSim

/// The API handlers without a process or socket: a simulation at an injected time, keys in memory, a stand-in
/// keystore decryption (the `KeystoreUnlocking` seam), and every response through the OpenAPI oracle.
@Suite("API handlers (pure)")
struct APIHandlerTests {
    /// Simulation access at a settable time.
    final class ManualAccess: SimulationAccess, Sendable {
        let state: Mutex<(simulation: BeaconSimulation, now: Double)>
        init(_ simulation: BeaconSimulation, now: Double) { state = Mutex((simulation, now)) }
        func withSimulation<R>(_ body: (inout BeaconSimulation, Double) -> R) -> R {
            state.withLock { value in
                value.simulation.advance(to: value.now)
                return body(&value.simulation, value.now)
            }
        }
        func set(now: Double) { state.withLock { $0.now = now } }
        var simulation: BeaconSimulation { withSimulation { simulation, _ in simulation } }
    }

    /// Keys in memory.
    final class MemoryStorage: KeyStorage, Sendable {
        let keys = Mutex<[String: StoredKey]>([:])
        let settings = Mutex<[String: String]>([:])
        func storedKeys() throws -> [StoredKey] { keys.withLock { Array($0.values) } }
        func saveLocal(pubkey: String, keystoreJSON: String, password: String) throws {
            keys.withLock { $0[pubkey] = StoredKey(pubkey: pubkey) }
        }
        func saveRemote(pubkey: String, url: String) throws {
            keys.withLock { $0[pubkey] = StoredKey(pubkey: pubkey, remoteURL: url) }
        }
        func remove(pubkey: String) throws -> Bool { keys.withLock { $0.removeValue(forKey: pubkey) != nil } }
        func setting(_ setting: ValidatorSetting, pubkey: String) -> String? {
            settings.withLock { $0[pubkey + setting.rawValue] }
        }
        func setSetting(_ setting: ValidatorSetting, pubkey: String, value: String?) throws {
            settings.withLock { $0[pubkey + setting.rawValue] = value }
        }
    }

    /// "Keystores" are `{"key": "<pubkey>", "password": "<password>"}`: enough to exercise the handler's logic.
    struct StandInUnlocker: KeystoreUnlocking {
        func unlock(keystoreJSON: String, password: String) throws(KeystoreUnlockError) -> UnlockedKeystore {
            guard let object = try? JSONSerialization.jsonObject(with: Data(keystoreJSON.utf8)) as? [String: String],
                let key = object["key"], let expected = object["password"]
            else { throw .malformed("not a stand-in keystore") }
            guard password == expected else { throw .wrongPassword }
            return UnlockedKeystore(pubkey: key, derivationPath: nil)
        }
    }

    static let key = "0x" + String(repeating: "c3", count: 48)

    func makeAccess(now: Double = 110, initialSyncDistance: UInt64 = 0) -> ManualAccess {
        let simulation = BeaconSimulationTests.simulation(
            configuration: BeaconSimulationTests.configuration(initialSyncDistance: initialSyncDistance),
            keys: [Self.key])
        return ManualAccess(simulation, now: now)
    }

    func beacon(
        _ access: ManualAccess, _ method: String, _ target: String, body: String = "",
        into exchanges: inout [Oracle.Exchange]
    ) -> APIResponse {
        let request = APIRequest(method: method, target: target, body: Array(body.utf8))
        let reply = access.withSimulation { simulation, _ in BeaconAPI().handle(request, simulation: simulation) }
        guard case .response(let response)? = reply else { return APIResponse(status: 0) }
        exchanges.append(
            Oracle.Exchange(
                api: "beacon", method: method, path: target, status: response.status,
                contentType: response.contentType ?? "", body: response.text))
        return response
    }

    @Test func stateIDsAndHealthFollowTheSimulation() throws {
        var exchanges: [Oracle.Exchange] = []
        let syncing = makeAccess(now: 101, initialSyncDistance: 50)
        #expect(beacon(syncing, "GET", "/eth/v1/node/health", into: &exchanges).status == 206)
        #expect(beacon(syncing, "GET", "/eth/v1/node/health?syncing_status=299", into: &exchanges).status == 299)
        // The spec lets the caller pick this code but cannot list it among the responses: not for the oracle.
        exchanges.removeLast()
        #expect(beacon(syncing, "GET", "/eth/v1/validator/duties/proposer/25", into: &exchanges).status == 503)
        let access = makeAccess()
        #expect(beacon(access, "GET", "/eth/v1/node/health", into: &exchanges).status == 200)
        for id in ["head", "genesis", "finalized", "justified", "100"] {
            #expect(
                beacon(access, "GET", "/eth/v1/beacon/states/\(id)/finality_checkpoints", into: &exchanges).status
                    == 200)
        }
        let headRoot = access.simulation.stateRoot(slot: 110)
        #expect(
            beacon(access, "GET", "/eth/v1/beacon/states/\(headRoot)/validators/\(Self.key)", into: &exchanges).status
                == 200)
        let unknownRoot = "0x" + String(repeating: "0f", count: 32)
        #expect(
            beacon(access, "GET", "/eth/v1/beacon/states/\(unknownRoot)/validators/1", into: &exchanges).status == 404)
        #expect(beacon(access, "GET", "/eth/v1/beacon/states/111/validators/1", into: &exchanges).status == 404)
        #expect(beacon(access, "GET", "/eth/v1/beacon/states/head/validators/0x1234", into: &exchanges).status == 400)
        #expect(beacon(access, "GET", "/eth/v1/beacon/states/head/validators/16", into: &exchanges).status == 404)
        let listed = beacon(access, "GET", "/eth/v1/beacon/states/head/validators?status=exited", into: &exchanges)
        #expect(listed.text.contains("\"data\":[]"))
        let duties = beacon(
            access, "POST", "/eth/v1/validator/duties/attester/27", body: "[\"0\",\"15\",\"16\"]",
            into: &exchanges)
        #expect(duties.status == 200)
        #expect(duties.text.components(separatedBy: "\"validator_index\"").count == 3, "16 is past the set")
        #expect(
            beacon(access, "POST", "/eth/v1/validator/duties/attester/28", body: "[\"x\"]", into: &exchanges).status
                == 400)
        #expect(beacon(access, "GET", "/eth/v1/events?topics=head", into: &exchanges).status == 0, "a stream")
        exchanges.removeLast()  // not a response
        try Oracle.validate(exchanges)
    }

    @Test func keymanagerLogicWithAStandInDecryptor() throws {
        let access = makeAccess()
        let storage = MemoryStorage()
        let api = KeymanagerAPI(
            token: "t0k3n", storage: storage, unlocker: StandInUnlocker(),
            defaults: KeymanagerDefaults(feeRecipient: nil, gasLimit: 30_000_000, graffiti: nil, version: .default))
        var exchanges: [Oracle.Exchange] = []
        func call(_ method: String, _ path: String, _ body: String = "", token: String? = "t0k3n") -> APIResponse {
            let headers = token.map { [(name: "Authorization", value: "Bearer \($0)")] } ?? []
            let response = api.handle(
                APIRequest(method: method, target: path, headers: headers, body: Array(body.utf8)), access: access)!
            exchanges.append(
                Oracle.Exchange(
                    api: "keymanager", method: method, path: path, status: response.status,
                    contentType: response.contentType ?? "", body: response.text))
            return response
        }
        #expect(call("GET", "/eth/v1/keystores", token: nil).status == 401)
        #expect(call("GET", "/eth/v1/keystores", token: "nope").status == 403)
        let newKey = "0x" + String(repeating: "d4", count: 48)
        let keystore = JSONValue.object([("key", .string(newKey)), ("password", .string("pw"))]).text
        let body = JSONValue.object([
            ("keystores", .array([.string(keystore), .string(keystore), .string("{}")])),
            ("passwords", .array([.string("pw"), .string("pw"), .string("pw")])),
        ]).text
        let imported = call("POST", "/eth/v1/keystores", body)
        #expect(imported.text.contains("[{\"status\":\"imported\"},{\"status\":\"duplicate\"},{\"status\":\"error\""))
        #expect(access.simulation.validators[newKey]?.source == .keymanager)
        let wrong = JSONValue.object([
            (
                "keystores",
                .array([.string(JSONValue.object([("key", .string(Self.key + "")), ("password", .string("a"))]).text)])
            ),
            ("passwords", .array([.string("b")])),
        ]).text
        #expect(call("POST", "/eth/v1/keystores", wrong).text.contains("invalid password"))
        #expect(call("POST", "/eth/v1/keystores", "{\"keystores\":[\"a\"],\"passwords\":[]}").status == 400)
        access.set(now: 130)
        let deleted = call("DELETE", "/eth/v1/keystores", "{\"pubkeys\":[\"\(newKey)\"]}")
        #expect(deleted.text.contains("\"deleted\""))
        #expect(access.simulation.validators[newKey] == nil)
        #expect(call("DELETE", "/eth/v1/keystores", "{\"pubkeys\":[\"not a key\"]}").status == 400)
        #expect(call("GET", "/eth/v1/validator/\(newKey)/graffiti").status == 404, "deleted keys have no settings")
        try Oracle.validate(exchanges)
    }

    @Test func controlAPIChangesTheScenario() throws {
        let access = makeAccess()
        let control = ControlAPI()
        let changed = control.handle(
            APIRequest(method: "POST", target: "/sim/v1/scenario", body: Array("{\"peers\":0,\"crash_after\":5}".utf8)),
            access: access)
        #expect(changed.status == 200)
        #expect(access.simulation.scenario.peers == 0)
        #expect(access.simulation.scenario.crashAt == 115)
        let refused = control.handle(
            APIRequest(method: "POST", target: "/sim/v1/scenario", body: Array("{\"missed_attestation_rate\":3}".utf8)),
            access: access)
        #expect(refused.status == 400)
        let proposals = control.handle(
            APIRequest(method: "POST", target: "/sim/v1/scenario", body: Array("{\"missed_proposal_rate\":0.5}".utf8)),
            access: access)
        #expect(proposals.status == 200 && access.simulation.scenario.missedProposalRate == 0.5)
        #expect(proposals.text.contains("\"missed_proposal_rate\""), "the scenario reports it")
        #expect(control.handle(
            APIRequest(method: "POST", target: "/sim/v1/scenario", body: Array("{\"missed_proposal_rate\":-1}".utf8)),
            access: access).status == 400)
        let status = control.handle(APIRequest(method: "GET", target: "/sim/v1/status"), access: access)
        #expect(status.text.contains("\"peers\":0"))
        #expect(control.handle(APIRequest(method: "GET", target: "/sim/v1/ledger"), access: access).status == 200)
        #expect(control.handle(APIRequest(method: "GET", target: "/nope"), access: access).status == 404)
    }
}
