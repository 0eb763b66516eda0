import MCPCore
public import PierServer
public import PierStore
public import PierWidgets
import Foundation

/// "Add eggs and milk to my cart": a stateful cart kept in Pier's store, rendered by the cart widget.
///
/// The cart is the one named by an explicit `cartId`, else the widget instance's (`openai/widgetSessionId`), else a
/// new one whose id the result carries so the next call can name it. Every change is a compare-and-set, so two
/// instances of Pier behind one load balancer never lose an update.
public enum CartApp {
    static let namespace = "cart"
    static let lifetime: Duration = .seconds(30 * 86_400)
    static let maxItems = 50

    public static func make(kit: WidgetKit, library: WidgetLibrary, store: any StateStore) throws -> MCPApp {
        let widget = try kit.render(
            Widget(
                name: "cart", title: "Shopping cart", description: "The user's shopping cart: each item with its quantity, and a checkout button.",
                template: try library.template("cart.html"), displayModes: ["inline", "fullscreen"], preferredDisplayMode: "inline",
                sample: ["items": [["name": "eggs", "quantity": 12], ["name": "milk", "quantity": 2]], "itemCount": 14]))
        let carts = CartStore(store: store)
        var app = MCPApp(name: "cart")
        app.add(widget)
        try app.tool(
            "add_to_cart", title: "Add to cart",
            description: "Use this when the user wants to put items in their shopping cart. Adds each item (quantity 1 unless given) and shows the cart.",
            input: ChangeInput.self, inputSchema: changeSchema(quantityNote: "How many to add (default 1)"), outputSchema: cartSchema,
            annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false),
            widget: widget, invoking: "Adding to your cart…", invoked: "Cart updated"
        ) { input, ctx in
            let id = try CartID(explicit: input.cartId, host: ctx.host)
            let (cart, version) = try await carts.update(id) { cart throws(ToolError) in try cart.add(input.items.map(\.normalized), limit: maxItems) }
            let added = input.items.map { "\($0.quantity ?? 1) × \($0.name)" }.joined(separator: ", ")
            return try result(cart, version: version, id: id, text: "Added \(added). The cart now holds \(cart.itemCount) items.")
        }
        try app.tool(
            "remove_from_cart", title: "Remove from cart",
            description: "Use this when the user wants items taken out of their cart. Removes the quantity given, or the whole line when none is given.",
            input: ChangeInput.self, inputSchema: changeSchema(quantityNote: "How many to remove (default: all of them)"), outputSchema: cartSchema,
            annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false),
            widget: widget, invoking: "Updating your cart…", invoked: "Cart updated"
        ) { input, ctx in
            let id = try CartID(explicit: input.cartId, host: ctx.host)
            let (cart, version) = try await carts.update(id) { cart throws(ToolError) in try cart.remove(input.items.map(\.trimmed)) }
            return try result(cart, version: version, id: id, text: "Removed. The cart now holds \(cart.itemCount) items.")
        }
        try app.tool(
            "checkout", title: "Check out",
            description: "Use this when the user asks to check out or place the order. Places an order for everything in the cart and empties it.",
            input: CartInput.self, inputSchema: cartIDSchema, outputSchema: cartSchema,
            annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false),
            widget: widget, invoking: "Placing your order…", invoked: "Order placed"
        ) { input, ctx in
            let id = try CartID(explicit: input.cartId, host: ctx.host)
            let (cart, version) = try await carts.update(id) { cart throws(ToolError) in try cart.checkout() }
            let order = cart.lastOrder!
            return try result(cart, version: version, id: id, text: "Order \(order.orderId) placed for \(order.itemCount) items.")
        }
        try app.tool(
            "show_cart", title: "Show cart", description: "Use this when the user wants to see what is in their shopping cart.",
            input: CartInput.self, inputSchema: cartIDSchema, outputSchema: cartSchema,
            annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
            widget: widget, invoking: "Opening your cart…", invoked: "Cart shown"
        ) { input, ctx in
            let id = try CartID(explicit: input.cartId, host: ctx.host)
            let (cart, version) = try await carts.read(id)
            let lines = cart.items.map { "\($0.quantity) × \($0.name)" }
            return try result(cart, version: version, id: id, text: lines.isEmpty ? "The cart is empty." : "The cart holds " + lines.joined(separator: ", ") + ".")
        }
        return app
    }

    /// The model reads `content` and `structuredContent`; the store version goes in `_meta`, which only the widget
    /// sees.
    static func result(_ cart: Cart, version: Int64, id: CartID, text: String) throws -> ToolResult {
        var structured = try JSONValueEncoder().encode(CartView(cart))
        if id.isShareable, case .object(var o) = structured {
            o["cartId"] = .string(id.key)
            structured = .object(o)
        }
        return ToolResult(content: [.text(text)], structuredContent: structured, meta: ["pier/cartVersion": .int(Int(version))])
    }

    struct ItemInput: Decodable, Sendable {
        var name: String
        var quantity: Int?

        var trimmed: ItemInput { ItemInput(name: name.trimmingCharacters(in: .whitespacesAndNewlines), quantity: quantity) }
        var normalized: CartItem { CartItem(name: trimmed.name, quantity: quantity ?? 1) }
    }

    struct ChangeInput: Decodable, Sendable {
        var items: [ItemInput]
        var cartId: String?
    }

    struct CartInput: Decodable, Sendable { var cartId: String? }

    static let cartIDProperty: (String, JSONValue) = (
        "cartId", JSONSchema.string(description: "The cart to use, as returned by an earlier call; omit inside a widget")
    )

    static func changeSchema(quantityNote: String) -> JSONValue {
        let item = JSONSchema.object(
            properties: [
                ("name", ["type": "string", "minLength": 1, "maxLength": 80, "description": "The item, e.g. \"eggs\""]),
                ("quantity", ["type": "integer", "minimum": 1, "maximum": 999, "description": .string(quantityNote)]),
            ], required: ["name"])
        return JSONSchema.object(
            properties: [("items", ["type": "array", "items": item, "minItems": 1, "maxItems": 50]), cartIDProperty], required: ["items"])
    }

    static let cartIDSchema = JSONSchema.object(properties: [cartIDProperty])

    static let cartSchema: JSONValue = JSONSchema.object(
        properties: [
            ("items", JSONSchema.array(of: JSONSchema.object(properties: [("name", JSONSchema.string()), ("quantity", JSONSchema.integer())], required: ["name", "quantity"]))),
            ("itemCount", JSONSchema.integer()),
            ("lastOrder", JSONSchema.object(properties: [("orderId", JSONSchema.string()), ("itemCount", JSONSchema.integer())])),
            ("cartId", JSONSchema.string()),
        ], required: ["items", "itemCount"])
}
