/// Splits a command line the way Nimbus's confutils accepts it: `--name=value`, `--name:value`, `--name value`
/// (for options that take a value), bare `--name` for booleans (`--name=false` to turn one off), `-d` for
/// `--data-dir`, and a leading sub-command word.
public struct CommandLineTokens: Sendable, Equatable {
    /// Why a command line was refused; the description is what the executable prints.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownOption(String)
        case missingValue(String)
        case notABoolean(option: String, value: String)
        case unexpectedArgument(String)

        public var description: String {
            switch self {
            case .unknownOption(let name): "Unrecognized option '\(name)'"
            case .missingValue(let name): "The option '\(name)' requires a value"
            case .notABoolean(let name, let value): "Invalid value for '\(name)': '\(value)' is not a boolean"
            case .unexpectedArgument(let text): "Unexpected argument '\(text)'"
            }
        }
    }

    /// The sub-command word, if the line started with one of the given sub-commands.
    public var subcommand: String?
    /// Options in order (a repeated option appears repeatedly).
    public var options: [(name: String, value: String)]

    public static func == (a: Self, b: Self) -> Bool {
        a.subcommand == b.subcommand && a.options.elementsEqual(b.options) { $0 == $1 }
    }

    /// Tokenises `arguments` (without the program name).
    ///
    /// - Parameters:
    ///   - valued: options that take a value.
    ///   - booleans: options that are switches.
    ///   - subcommands: words accepted in first position.
    public static func parse(
        _ arguments: [String], valued: Set<String>, booleans: Set<String>, subcommands: Set<String>
    ) throws(Failure) -> CommandLineTokens {
        var result = CommandLineTokens(subcommand: nil, options: [])
        var index = 0
        if let first = arguments.first, subcommands.contains(first) {
            result.subcommand = first
            index = 1
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var body: Substring
            if argument.hasPrefix("--") {
                body = argument.dropFirst(2)
            } else if argument.hasPrefix("-"), argument.count > 1 {
                body = argument.dropFirst(1)
            } else {
                throw .unexpectedArgument(argument)
            }
            var attached: String?
            if let separator = body.firstIndex(where: { $0 == "=" || $0 == ":" }) {
                attached = String(body[body.index(after: separator)...])
                body = body[..<separator]
            }
            let name = body == "d" ? "data-dir" : String(body)
            if booleans.contains(name) {
                guard let value = attached else {
                    result.options.append((name, "true"))
                    continue
                }
                guard let flag = booleanValue(value) else { throw .notABoolean(option: name, value: value) }
                result.options.append((name, flag ? "true" : "false"))
            } else if valued.contains(name) {
                if let attached {
                    result.options.append((name, attached))
                } else {
                    guard index < arguments.count else { throw .missingValue(name) }
                    result.options.append((name, arguments[index]))
                    index += 1
                }
            } else {
                throw .unknownOption(name)
            }
        }
        return result
    }

    /// The last value given for `name`.
    public func last(_ name: String) -> String? { options.last { $0.name == name }?.value }

    /// Every value given for `name`, in order.
    public func all(_ name: String) -> [String] { options.filter { $0.name == name }.map(\.value) }

    /// "true"/"false" and the spellings confutils also takes.
    static func booleanValue(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }
}
