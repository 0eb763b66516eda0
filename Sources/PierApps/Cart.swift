import PierServer
import Foundation

/// One line of a cart.
struct CartItem: Codable, Sendable, Equatable {
    var name: String
    var quantity: Int
}

/// A placed order, kept on the cart so the last one can be shown.
struct CartOrder: Codable, Sendable, Equatable {
    var orderId: String
    var itemCount: Int
    var items: [CartItem]
}

/// A cart as stored: its lines (in the order first added) and the last order placed from it.
struct Cart: Codable, Sendable, Equatable {
    var items: [CartItem] = []
    var lastOrder: CartOrder?
    var orders = 0

    var itemCount: Int { items.reduce(0) { $0 + $1.quantity } }

    /// Adds the items; a name already in the cart (ignoring case) gets its quantity raised.
    mutating func add(_ new: [CartItem], limit: Int) throws(ToolError) {
        for item in new {
            guard !item.name.isEmpty else { throw ToolError("An item needs a name") }
            guard (1...999).contains(item.quantity) else { throw ToolError("Quantity of \(item.name) must be 1–999") }
            if let i = index(of: item.name) {
                items[i].quantity = min(999, items[i].quantity + item.quantity)
            } else {
                guard items.count < limit else { throw ToolError("The cart holds at most \(limit) different items") }
                items.append(item)
            }
        }
    }

    /// Removes `quantity` of each item, or the whole line when no quantity is given.
    mutating func remove(_ gone: [CartAppItem]) throws(ToolError) {
        for item in gone {
            guard let i = index(of: item.name) else { throw ToolError("\(item.name) is not in the cart") }
            if let quantity = item.quantity, quantity < items[i].quantity {
                items[i].quantity -= quantity
            } else {
                items.remove(at: i)
            }
        }
    }

    /// Turns the cart into an order and empties it.
    mutating func checkout() throws(ToolError) {
        guard !items.isEmpty else { throw ToolError("The cart is empty; add something before checking out") }
        orders += 1
        var suffix = ""
        var g = SystemRandomNumberGenerator()
        for _ in 0..<6 { suffix.append("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".randomElement(using: &g)!) }
        lastOrder = CartOrder(orderId: "PIER-\(orders)-\(suffix)", itemCount: itemCount, items: items)
        items = []
    }

    func index(of name: String) -> Int? { items.firstIndex { $0.name.lowercased() == name.lowercased() } }
}

typealias CartAppItem = CartApp.ItemInput

/// What tools return: the lines, the count and the last order.
struct CartView: Encodable, Sendable {
    var items: [CartItem]
    var itemCount: Int
    var lastOrder: OrderSummary?

    struct OrderSummary: Encodable, Sendable {
        var orderId: String
        var itemCount: Int
    }

    init(_ cart: Cart) {
        items = cart.items
        itemCount = cart.itemCount
        lastOrder = cart.lastOrder.map { OrderSummary(orderId: $0.orderId, itemCount: $0.itemCount) }
    }
}
