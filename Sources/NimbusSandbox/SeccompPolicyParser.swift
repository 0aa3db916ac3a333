/// Turns policy text into a `SeccompPolicy`, line by line. Pure: no files, no syscalls.
///
/// Besides syntax it rejects policies libseccomp would refuse or that would not mean what they say: a rule
/// outside a group, a rule whose action is the default (libseccomp rejects those), two rules for the same syscall
/// that overlap, and masked conditions that can never hold.
struct SeccompPolicyParser {
    let source: String
    let syscallNumber: (String) -> Int32?

    private var defaultAction: SeccompAction?
    private var defaultLine = 0
    private var groups: [SyscallGroup] = []
    /// Per syscall name: the line and conditions of every rule seen so far, to catch overlaps.
    private var seen: [String: [(line: Int, conditions: [ArgumentCondition])]] = [:]

    init(source: String, syscallNumber: @escaping (String) -> Int32?) {
        self.source = source
        self.syscallNumber = syscallNumber
    }

    mutating func parse(_ text: String) throws(SandboxError) -> SeccompPolicy {
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let content = Self.stripComment(rawLine)
            let tokens = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let keyword = tokens.first else { continue }
            // "group:" glued to its colon is still a group header (with an empty name, reported as such).
            let isGroup = keyword == "group" || keyword.hasPrefix("group:")
            switch keyword {
            case "default": try parseDefault(tokens.dropFirst(), line: number)
            case _ where isGroup: try parseGroup(content, line: number)
            case "allow", "kill", "errno", "log": try parseRule(tokens[...], line: number)
            default:
                throw error(
                    number,
                    "unknown keyword '\(keyword)'; a line starts with default, group, allow, kill, errno or log"
                )
            }
        }
        guard let defaultAction else {
            throw SandboxError(
                .policy, "seccomp policy \(source): no 'default' line; start the policy with e.g. 'default kill'"
            )
        }
        if let empty = groups.first(where: { $0.rules.isEmpty }) {
            throw error(empty.line, "group '\(empty.name)' has no rules; add rules or remove the group")
        }
        return SeccompPolicy(source: source, defaultAction: defaultAction, groups: groups)
    }

    // MARK: Lines

    private mutating func parseDefault(_ tokens: ArraySlice<Substring>, line: Int) throws(SandboxError) {
        if defaultAction != nil {
            throw error(line, "second 'default' line (the first is line \(defaultLine)); keep one")
        }
        var rest = tokens
        let action = try parseAction(
            &rest, line: line, context: "'default' needs an action: kill, allow, log or errno NAME"
        )
        if let extra = rest.first {
            throw error(line, "unexpected '\(extra)' after the default action")
        }
        defaultAction = action
        defaultLine = line
    }

    private mutating func parseGroup(_ content: Substring, line: Int) throws(SandboxError) {
        let usage = "write 'group NAME: why the role needs these syscalls'"
        let afterKeyword = content.drop { $0 == " " || $0 == "\t" }.dropFirst("group".count)
        guard let colon = afterKeyword.firstIndex(of: ":") else {
            throw error(line, "group header without ':'; \(usage)")
        }
        let name = afterKeyword[..<colon].trimmingBlanks()
        let reason = afterKeyword[afterKeyword.index(after: colon)...].trimmingBlanks()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw error(line, "group name '\(name)' must be letters, digits, '_' or '-'; \(usage)")
        }
        guard !reason.isEmpty else {
            throw error(line, "group '\(name)' needs a reason after the ':'; \(usage)")
        }
        if let earlier = groups.first(where: { $0.name == name }) {
            throw error(line, "group '\(name)' is already defined on line \(earlier.line); merge the two")
        }
        if defaultAction == nil {
            throw error(line, "groups must follow the 'default' line; start the policy with e.g. 'default kill'")
        }
        groups.append(SyscallGroup(name: String(name), reason: String(reason), line: line))
    }

    private mutating func parseRule(_ tokens: ArraySlice<Substring>, line: Int) throws(SandboxError) {
        var rest = tokens
        let action = try parseAction(&rest, line: line, context: "")
        guard !groups.isEmpty else {
            throw error(line, "rule outside a group; open one first with 'group NAME: reason'")
        }
        if let defaultAction, Self.sameEffect(action, defaultAction) {
            throw error(line, "'\(action)' is already the default action, so this rule has no effect; remove it")
        }
        var names: [Substring] = []
        while let token = rest.first, token != "where" {
            names.append(token)
            rest = rest.dropFirst()
        }
        guard !names.isEmpty else {
            throw error(line, "'\(action)' needs at least one syscall name")
        }
        var conditions: [ArgumentCondition] = []
        if rest.first == "where" {
            conditions = try parseConditions(rest.dropFirst(), line: line)
        }
        var syscalls: [Syscall] = []
        for name in names {
            let syscall = try resolve(name, line: line)
            try checkOverlap(syscall.name, conditions: conditions, line: line)
            syscalls.append(syscall)
        }
        groups[groups.count - 1].rules.append(
            SyscallRule(action: action, syscalls: syscalls, conditions: conditions, line: line)
        )
    }

    // MARK: Pieces

    private func parseAction(
        _ tokens: inout ArraySlice<Substring>, line: Int, context: String
    ) throws(SandboxError) -> SeccompAction {
        guard let word = tokens.popFirst() else { throw error(line, context) }
        switch word {
        case "allow": return .allow
        case "kill": return .killProcess
        case "log": return .log
        case "errno":
            guard let name = tokens.popFirst() else {
                throw error(line, "'errno' needs an error name, e.g. 'errno EPERM'")
            }
            guard let value = ErrnoNames.values[String(name)] else {
                throw error(line, "unknown errno '\(name)'; use a name such as EPERM, EACCES or ENOSYS")
            }
            return .errno(value, name: String(name))
        default:
            throw error(line, "unknown action '\(word)'; use kill, allow, log or errno NAME")
        }
    }

    private func resolve(_ name: Substring, line: Int) throws(SandboxError) -> Syscall {
        guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), let number = syscallNumber(String(name))
        else {
            throw error(line, "unknown syscall '\(name)'")
        }
        return Syscall(name: String(name), number: number)
    }

    private func parseConditions(
        _ tokens: ArraySlice<Substring>, line: Int
    ) throws(SandboxError) -> [ArgumentCondition] {
        var conditions: [ArgumentCondition] = []
        var pieces = tokens.split(separator: "and", omittingEmptySubsequences: false)[...]
        if pieces.isEmpty { pieces = [[]] }
        for piece in pieces {
            conditions.append(try parseCondition(piece, line: line))
        }
        if conditions.count > 6 {
            throw error(line, "at most 6 conditions per rule; split the rule")
        }
        return conditions
    }

    private func parseCondition(_ tokens: ArraySlice<Substring>, line: Int) throws(SandboxError) -> ArgumentCondition {
        let written = tokens.joined(separator: " ")
        let usage = "write 'argN == VALUE', 'argN != VALUE' or 'argN & MASK == VALUE'"
        let parts = Array(tokens)
        guard let first = parts.first, first.hasPrefix("arg"), let index = Int(first.dropFirst(3)),
            (0...5).contains(index)
        else {
            throw error(line, "cannot read condition '\(written)': arguments are arg0 to arg5; \(usage)")
        }
        switch parts.count {
        case 3 where parts[1] == "==":
            return ArgumentCondition(argument: index, .equal(try value(parts[2], line: line)))
        case 3 where parts[1] == "!=":
            return ArgumentCondition(argument: index, .notEqual(try value(parts[2], line: line)))
        case 5 where parts[1] == "&" && parts[3] == "==":
            let mask = try value(parts[2], line: line)
            let expected = try value(parts[4], line: line)
            if expected & ~mask != 0 {
                throw error(line, "condition '\(written)' can never hold: the value has bits outside the mask")
            }
            return ArgumentCondition(argument: index, .maskedEqual(mask: mask, value: expected))
        case 5 where parts[1] == "&":
            throw error(line, "cannot read condition '\(written)': a masked comparison only supports '=='")
        default:
            throw error(line, "cannot read condition '\(written)'; \(usage)")
        }
    }

    /// A number (decimal or 0x hex), a constant from `PolicyConstants`, or several joined by `|`.
    private func value(_ token: Substring, line: Int) throws(SandboxError) -> UInt64 {
        var result: UInt64 = 0
        for part in token.split(separator: "|", omittingEmptySubsequences: false) {
            if part.hasPrefix("0x") || part.hasPrefix("0X"), let number = UInt64(part.dropFirst(2), radix: 16) {
                result |= number
            } else if let number = UInt64(part) {
                result |= number
            } else if let constant = PolicyConstants.values[String(part)] {
                result |= constant
            } else {
                throw error(line, "unknown value '\(part)'; use a number or a constant listed in docs/sandbox.md")
            }
        }
        return result
    }

    /// libseccomp ORs rules per syscall; an unconditional rule next to any other rule for the same syscall (or two
    /// rules with the same conditions) would silently shadow one of them, so both are errors.
    private mutating func checkOverlap(
        _ name: String, conditions: [ArgumentCondition], line: Int
    ) throws(SandboxError) {
        let earlier = seen[name, default: []]
        if let unconditional = earlier.first(where: { $0.conditions.isEmpty }) {
            throw error(line, "'\(name)' already has an unconditional rule on line \(unconditional.line)")
        }
        if conditions.isEmpty, let conditional = earlier.first {
            throw error(
                line,
                "'\(name)' has conditional rules (line \(conditional.line)); an unconditional rule would override them"
            )
        }
        if let same = earlier.first(where: { Set($0.conditions) == Set(conditions) }) {
            throw error(line, "'\(name)' already has a rule with the same conditions on line \(same.line)")
        }
        seen[name, default: []].append((line, conditions))
    }

    /// Two spellings of one errno (ENOTSUP and EOPNOTSUPP) are the same action to libseccomp.
    private static func sameEffect(_ first: SeccompAction, _ second: SeccompAction) -> Bool {
        if case .errno(let one, _) = first, case .errno(let other, _) = second { return one == other }
        return first == second
    }

    private func error(_ line: Int, _ message: String) -> SandboxError {
        SandboxError(.policy, "seccomp policy \(source) line \(line): \(message)", line: line)
    }

    private static func stripComment(_ line: Substring) -> Substring {
        guard let hash = line.firstIndex(of: "#") else { return line }
        return line[..<hash]
    }
}

extension Substring {
    /// Drops spaces and tabs at both ends (Foundation-free `trimmingCharacters`).
    fileprivate func trimmingBlanks() -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        var result = drop(while: isBlank)
        while let last = result.last, isBlank(last) { result = result.dropLast() }
        return result
    }
}
