/// A bounded memory of ids that have ended (deleted or expired sessions, closed SSE streams), so a later request
/// naming one gets 404 rather than a silent fresh start. The oldest are forgotten past `capacity`.
struct EndedIDs: Sendable {
    let capacity: Int
    private var set: Set<String> = []
    private var order: [String] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func contains(_ id: String) -> Bool { set.contains(id) }

    mutating func insert(_ id: String) {
        guard set.insert(id).inserted else { return }
        order.append(id)
        if order.count > capacity {
            let drop = order.count - capacity
            for old in order.prefix(drop) { set.remove(old) }
            order.removeFirst(drop)
        }
    }
}
