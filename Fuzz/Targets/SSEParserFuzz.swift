/// libFuzzer target: the SSE parser upstream streams are read with. The first byte picks where the rest is cut in
/// two; fed whole or in pieces, the stream gives the same events (or overflows the same way).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSEParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let cut = input.isEmpty ? 0 : Int(data[0]) % (input.count + 1)
    var whole = SSEParser(maximumEventBytes: 4096)
    var pieces = SSEParser(maximumEventBytes: 4096)
    let all = try? whole.feed(input)
    var split: [SSEParser.Event]? = nil
    if let first = try? pieces.feed(input[..<cut]), let second = try? pieces.feed(input[cut...]) { split = first + second }
    if let all, let split { precondition(all == split, "events depend on how the stream was cut") }
    if all != nil, split == nil { fatalError("a stream that fits whole overflowed in pieces") }
    return 0
}
