// libFuzzer target: a release source's answer (GitHub's releases API or a mirror), which arrives from the internet
// through the installer and is parsed by the network role. Any input must give a release or be refused; a release
// given must be a plain version that reads back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let version = try? LatestRelease.parse(bytes) {
        precondition(version.major >= 0 && version.minor >= 0 && version.patch >= 0, "a negative version part")
        let again = try? LatestRelease.parse(Array(#"{"tag_name":"\#(version)","draft":false,"prerelease":false}"#.utf8))
        precondition(again == version, "the release \(version) does not read back")
    }
    return 0
}
