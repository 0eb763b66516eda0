/// libFuzzer target: MCPCore's JSON parser. Whatever the bytes, parsing returns or throws; a parsed value
/// written out parses again to the same text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let value = try? JSONValue(parsing: bytes, maxDepth: 64) else { return 0 }
    let written = value.serialized()
    guard let again = try? JSONValue(parsing: written, maxDepth: 64) else { fatalError("written JSON does not parse: \(value.serializedString())") }
    guard again.serialized() == written else { fatalError("JSON changes when written twice: \(value.serializedString())") }
    return 0
}
