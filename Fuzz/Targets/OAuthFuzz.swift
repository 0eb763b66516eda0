/// libFuzzer target: what the authorization server reads before anything is verified: form bodies and query
/// strings (`application/x-www-form-urlencoded`) and the protected header of a compact JWS (a client assertion or
/// an access token). A decoded field encodes and decodes back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOAuth(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let form = FormFields(text)
    for (name, value) in form.values {
        precondition(FormFields.decode(Substring(FormFields.encode(name))) == name, "a field name does not round-trip")
        precondition(FormFields.decode(Substring(FormFields.encode(value))) == value, "a field value does not round-trip")
    }
    _ = CompactJWS.header(text)
    if let assertion = form["client_assertion"] { _ = CompactJWS.header(assertion) }
    return 0
}
