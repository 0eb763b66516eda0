import MCPCore
import PierSync

/// Thrown by a handler that needs input the client has not given yet (2026-07-28 MRTR): the server answers with
/// `resultType: "input_required"` instead of a result, and runs the handler again when the client retries.
struct InputRequired: Error {
    let requests: JSONObject
}

/// The input answers a call has so far, across its rounds, and the keys the handler asks under.
final class InputRound: Sendable {
    private struct State {
        var responses: JSONObject
        var counter = 0
    }
    private let state: Locked<State>
    /// Whether the call carried a `requestState` that Pier verified (it is a retry of an earlier round).
    let resumed: Bool

    init(responses: JSONObject, resumed: Bool) {
        self.state = Locked(State(responses: responses))
        self.resumed = resumed
    }

    /// The key of the next input a handler asks for (`elicit-1`, `elicit-2`, …): the same on every run of the
    /// handler, so an answer finds the question it belongs to.
    func nextKey(_ kind: String) -> String {
        state.withLock { s in
            s.counter += 1
            return "\(kind)-\(s.counter)"
        }
    }

    func response(_ key: String) -> JSONValue? { state.withLock { $0.responses[key] } }
    var responses: JSONObject { state.withLock { $0.responses } }
}
