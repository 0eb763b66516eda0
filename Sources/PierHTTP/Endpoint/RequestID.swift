import HTTPTypes
import Hummingbird

/// The id of one HTTP request, for logs and the `X-Request-Id` response header: the client's (or a proxy's)
/// `X-Request-Id` when it is 1–128 characters of `A-Z a-z 0-9 . _ : -`, else 16 random hex digits.
enum RequestID {
    static let field = HTTPField.Name("X-Request-Id")!

    static func of(_ request: Request) -> String {
        if let given = request.headers[field], (1...128).contains(given.utf8.count), given.utf8.allSatisfy(isAllowed) { return given }
        return make()
    }

    static func make() -> String {
        var n = UInt64.random(in: .min ... .max)
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for i in (0..<16).reversed() {
                buffer[i] = digits[Int(n & 0xF)]
                n >>= 4
            }
            return 16
        }
    }

    static let digits = Array("0123456789abcdef".utf8)

    static func isAllowed(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"): true
        default: false
        }
    }
}
