import HTTPTypes

/// libFuzzer target: request headers as the endpoint reads them, and the `=?base64?…?=` value encoding. The bytes
/// are header lines (`name: value`); any of them may be refused, nothing may crash, and every text round-trips
/// through the value encoding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var fields = HTTPFields()
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let name = HTTPField.Name(String(parts[0])) else { continue }
        fields.append(HTTPField(name: name, value: String(parts[1].drop(while: { $0 == " " }))))
        let value = String(parts[1])
        _ = EncodedHeaderValue.decode(value)
        precondition(EncodedHeaderValue.decode(EncodedHeaderValue.encode(value)) == value, "the header value encoding does not round-trip")
    }
    let headers = MCPHeaders(fields)
    _ = headers.mediaTypeRefusal
    _ = headers.acceptsJSON || headers.acceptsSSE
    if let method = headers.method { _ = EncodedHeaderValue.decode(method) }
    if let name = headers.name { _ = EncodedHeaderValue.decode(name) }
    if let last = headers.lastEventID { _ = EventLog.parse(last) }
    return 0
}
