import CNimbusSandbox

/// A set of capabilities as the kernel's bit mask, built from names such as `CAP_NET_BIND_SERVICE`.
struct CapabilitySet: Equatable, Sendable {
    /// Bit n set = capability n in the set.
    var mask: UInt64
    /// The names, upper case, in the order given.
    var names: [String]

    /// Resolves names with libcap; an unknown name, or one the running kernel does not have, is a profile error.
    init(names: [String], role: String) throws(SandboxError) {
        let lastCapability = nm_cap_last_cap()
        var mask: UInt64 = 0
        var spelled: [String] = []
        for name in names {
            let upper = name.uppercased()
            guard upper.hasPrefix("CAP_") else {
                throw SandboxError(.profile, "profile \(role): capability '\(name)' must be spelled like 'CAP_CHOWN'")
            }
            let number = nm_cap_from_name(upper.lowercased())
            guard number >= 0 else {
                throw SandboxError(.profile, "profile \(role): unknown capability '\(name)' (see capabilities(7))")
            }
            guard number <= lastCapability else {
                throw SandboxError(
                    .profile,
                    "profile \(role): this kernel does not know \(upper) (its last capability is \(lastCapability))"
                )
            }
            mask |= UInt64(1) << UInt64(number)
            spelled.append(upper)
        }
        self.mask = mask
        self.names = spelled
    }

    var isEmpty: Bool { mask == 0 }

    func contains(_ capability: Int) -> Bool { mask & (UInt64(1) << UInt64(capability)) != 0 }

    /// `{CAP_A, CAP_B}` or `{}`, for report details.
    var listing: String { "{" + names.joined(separator: ", ") + "}" }

    /// The names of the members of this set whose bits are in `bits`.
    func names(in bits: UInt64) -> [String] {
        names.filter { name in
            let number = nm_cap_from_name(name.lowercased())
            return number >= 0 && bits & (UInt64(1) << UInt64(number)) != 0
        }
    }
}

/// `0x...` for a capability mask in messages.
func hexMask(_ mask: UInt64) -> String { "0x" + String(mask, radix: 16) }
