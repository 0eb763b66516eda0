/// A gateway failure a client may see: it names the upstream by its configured name, never its address.
public enum GatewayError: Error, Sendable, CustomStringConvertible {
    /// The upstream's call limit and queue are full.
    case busy(server: String)
    /// The upstream is not connected now.
    case unavailable(server: String)
    /// The upstream did not answer a health probe in time (a wedged or stopped process).
    case unresponsive(server: String, seconds: Double)
    /// An upstream of that name is there already.
    case duplicate(server: String)

    public var description: String {
        switch self {
        case .busy(let server): "Upstream server \"\(server)\" has too many calls in flight; try again shortly"
        case .unavailable(let server): "Upstream server \"\(server)\" is not available now"
        case .unresponsive(let server, let seconds): "Upstream server \"\(server)\" did not answer a health probe within \(seconds) s"
        case .duplicate(let server): "An upstream server named \"\(server)\" exists already"
        }
    }
}
