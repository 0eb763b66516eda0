public import MCPCore

/// One argument a prompt takes.
public struct PromptArgument: Sendable, Equatable {
    public var name: String
    public var title: String?
    public var description: String?
    public var required: Bool

    public init(name: String, title: String? = nil, description: String? = nil, required: Bool = false) {
        self.name = name
        self.title = title
        self.description = description
        self.required = required
    }

    var json: JSONValue {
        var o: JSONObject = ["name": .string(name)]
        if let title { o["title"] = .string(title) }
        if let description { o["description"] = .string(description) }
        if required { o["required"] = true }
        return .object(o)
    }
}

/// A message in a prompt's result.
public struct PromptMessage: Sendable, Equatable {
    /// `"user"` or `"assistant"`.
    public var role: String
    public var content: Content
    /// Other fields of the message, written as they are.
    public var extra: JSONObject = [:]

    public init(role: String, content: Content) {
        self.role = role
        self.content = content
    }

    public static func user(_ text: String) -> PromptMessage { PromptMessage(role: "user", content: .text(text)) }

    /// The wire form.
    public var json: JSONValue {
        var o: JSONObject = ["role": .string(role), "content": content.json]
        o.merge(extra)
        return .object(o)
    }
}

/// What `prompts/get` returns.
public struct PromptResult: Sendable, Equatable {
    public var description: String?
    public var messages: [PromptMessage]
    public var meta: JSONObject?
    /// Other result fields, written as they are.
    public var extra: JSONObject = [:]

    public init(description: String? = nil, messages: [PromptMessage]) {
        self.description = description
        self.messages = messages
    }

    var json: JSONObject {
        var o: JSONObject = ["messages": .array(messages.map(\.json))]
        if let description { o["description"] = .string(description) }
        o.merge(extra)
        if let meta { o["_meta"] = .object(meta) }
        return o
    }
}

/// A prompt template.
public struct PromptDefinition: Sendable {
    public typealias Getter = @Sendable (_ arguments: [String: String], _ context: MCPRequestContext) async throws -> PromptResult

    public var name: String
    public var title: String?
    public var description: String?
    public var arguments: [PromptArgument]
    public var icons: [Icon]
    public var meta: JSONObject?
    /// Completions for arguments, by argument name.
    public var completions: [String: CompletionProvider]
    /// Other descriptor fields, written as they are.
    public var extra: JSONObject = [:]
    public var get: Getter

    public init(
        name: String, title: String? = nil, description: String? = nil, arguments: [PromptArgument] = [], icons: [Icon] = [],
        meta: JSONObject? = nil, completions: [String: CompletionProvider] = [:], get: @escaping Getter
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
        self.icons = icons
        self.meta = meta
        self.completions = completions
        self.get = get
    }

    /// The `Prompt` object `prompts/list` returns.
    public var descriptor: JSONObject {
        var o: JSONObject = ["name": .string(name)]
        if let title { o["title"] = .string(title) }
        if let description { o["description"] = .string(description) }
        if !arguments.isEmpty { o["arguments"] = .array(arguments.map(\.json)) }
        if !icons.isEmpty { o["icons"] = icons.json }
        o.merge(extra)
        if let meta { o["_meta"] = .object(meta) }
        return o
    }
}
