// libFuzzer target: the `nimbus keys` session decoder (frames, file frames, JSON bodies), which reads bytes from
// the CLI in the signer and from the signer in the CLI. Any input must end in frames or a SessionError, never a
// crash; decoded frames must re-encode to the bytes they came from.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var decoder = SessionFrameDecoder()
    // Split the input in two at a point it chooses, to exercise partial frames.
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    do {
        let frames = try decoder.append(bytes[..<split]) + decoder.append(bytes[split...])
        var reencoded: [UInt8] = []
        for frame in frames {
            reencoded += frame.encoded()
            switch frame.kind {
            case .file: _ = try? frame.decodeFile()
            case .request: _ = try? SessionJSON.decode(KeysRequest.self, from: frame.body, what: "request")
            case .progress: _ = try? SessionJSON.decode(KeysProgress.self, from: frame.body, what: "progress")
            case .result: _ = try? SessionJSON.decode(KeysResult.self, from: frame.body, what: "result")
            case .failure: _ = try? SessionJSON.decode(KeysFailure.self, from: frame.body, what: "failure")
            case .secret: break
            }
        }
        precondition(Array(bytes.prefix(reencoded.count)) == reencoded, "frames do not re-encode to their bytes")
        precondition(reencoded.count + decoder.pendingBytes == bytes.count, "bytes lost or invented")
    } catch {
        _ = "\(error)"
    }
    return 0
}
