/// libFuzzer target: the JSON-RPC envelope. A message read from any JSON is a request, notification or response
/// whose JSON reads back as the same kind of message with the same id and method.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRPCEnvelope(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let json = try? JSONValue(parsing: UnsafeRawBufferPointer(start: data, count: size), maxDepth: 64) else { return 0 }
    let items: [JSONValue] = if case .array(let batch) = json { batch } else { [json] }
    for item in items {
        guard let message = try? JSONRPCMessage(json: item) else { continue }
        guard let again = try? JSONRPCMessage(json: message.json) else { fatalError("a message's own JSON is refused: \(message.json.serializedString())") }
        switch (message, again) {
        case (.request(let a), .request(let b)): precondition(a.id == b.id && a.method == b.method, "request changed")
        case (.notification(let a), .notification(let b)): precondition(a.method == b.method, "notification changed")
        case (.response(let a), .response(let b)): precondition(a.id == b.id && (a.error == nil) == (b.error == nil), "response changed")
        default: fatalError("message kind changed: \(message.json.serializedString())")
        }
    }
    return 0
}
