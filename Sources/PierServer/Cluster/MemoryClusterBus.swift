import PierSync

/// Instances in one process joined by a bus in memory: for tests of what crosses instances, without a database.
///
/// ```swift
/// let network = MemoryClusterBus.Network()
/// let a = network.join("a"), b = network.join("b")
/// ```
public final class MemoryClusterBus: ClusterBus {
    /// The buses that hear one another.
    public final class Network: Sendable {
        private let members = Locked<[MemoryClusterBus]>([])
        public init() {}

        /// A bus for instance `id` on this network.
        public func join(_ id: String) -> MemoryClusterBus {
            let bus = MemoryClusterBus(instance: id, network: self)
            members.withLock { $0.append(bus) }
            return bus
        }

        func send(_ message: ClusterMessage) {
            for member in members.withLock({ $0 }) where member.instance != message.sender {
                if let recipient = message.recipient, recipient != member.instance { continue }
                member.fanout.deliver(message)
            }
        }
    }

    public let instance: String
    let network: Network
    let fanout = ClusterFanout()

    init(instance: String, network: Network) {
        self.instance = instance
        self.network = network
    }

    public func publish(_ message: ClusterMessage) async {
        var message = message
        message.sender = instance
        network.send(message)
    }

    public func messages() -> AsyncStream<ClusterMessage> { fanout.stream() }
}
