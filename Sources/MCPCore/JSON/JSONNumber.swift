/// A JSON number kept as its literal text.
///
/// Keeping the text is what makes a gateway faithful: `1` is not turned into `1.0`, `1.5e3` keeps its form, and
/// integers wider than 64 bits pass through unrounded. Conversions happen only when a caller asks.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal as it appears in JSON text.
    public let text: String

    /// Wraps a literal that is already valid JSON number text.
    public init(unchecked text: String) { self.text = text }

    /// An integer.
    public init(_ value: Int) { self.text = String(value) }

    /// A floating-point number. Non-finite values have no JSON form and become `0`.
    public init(_ value: Double) {
        guard value.isFinite else {
            self.text = "0"
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int(value))
        } else {
            self.text = "\(value)"
        }
    }

    /// `true` when the literal has no fraction or exponent.
    public var isInteger: Bool {
        !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
            || (doubleValue.map { $0 == $0.rounded() && abs($0) < 9.007_199_254_740_992e15 } ?? false)
    }

    /// The value as `Int` when it is integral and fits.
    public var intValue: Int? {
        if let i = Int(text) { return i }
        guard let d = Double(text), d == d.rounded(), abs(d) < 9.2e18 else { return nil }
        return Int(d)
    }

    /// The value as `Double`.
    public var doubleValue: Double? { Double(text) }

    public var description: String { text }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.text == rhs.text { return true }
        guard let l = lhs.doubleValue, let r = rhs.doubleValue else { return false }
        return l == r
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(doubleValue ?? 0)
    }
}
