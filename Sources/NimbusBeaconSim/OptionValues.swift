/// Typed reading of option values, with Nimbus-like messages for bad ones.
struct OptionValues {
    let tokens: CommandLineTokens

    func string(_ name: String) -> String? { tokens.last(name) }

    func flag(_ name: String, default value: Bool) -> Bool {
        tokens.last(name).map { $0 == "true" } ?? value
    }

    func port(_ name: String, default value: Int) throws(SimCommand.Failure) -> Int {
        guard let text = tokens.last(name) else { return value }
        guard let port = Int(text), (0...65535).contains(port) else {
            throw SimCommand.Failure(message: "Invalid value for --\(name): '\(text)' is not a port number")
        }
        return port
    }

    func unsigned(_ name: String) throws(SimCommand.Failure) -> UInt64? {
        guard let text = tokens.last(name) else { return nil }
        guard let number = UInt64(text) else {
            throw SimCommand.Failure(message: "Invalid value for --\(name): '\(text)' is not a non-negative integer")
        }
        return number
    }

    func real(_ name: String, minimum: Double = 0) throws(SimCommand.Failure) -> Double? {
        guard let text = tokens.last(name) else { return nil }
        guard let number = Double(text), number.isFinite, number >= minimum else {
            throw SimCommand.Failure(message: "Invalid value for --\(name): '\(text)' is not a number >= \(minimum)")
        }
        return number
    }

    func network() throws(SimCommand.Failure) -> NetworkProfile {
        let name = tokens.last("network") ?? "mainnet"
        guard let profile = NetworkProfile.named(name) else {
            throw SimCommand.Failure(
                message: "Unknown network '\(name)' (the simulator knows mainnet, holesky, "
                    + "sepolia, hoodi)")
        }
        return profile
    }
}
