/// A JSON-RPC request: it has an id and expects a response.
public struct JSONRPCRequest: Sendable, Equatable {
    public var id: JSONRPCID
    public var method: String
    /// The `params` object; an absent `params` reads as empty.
    public var params: JSONObject

    public init(id: JSONRPCID, method: String, params: JSONObject = [:]) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// `params._meta`, or an empty object.
    public var meta: JSONObject { params["_meta"]?.objectValue ?? [:] }
}

/// A JSON-RPC notification: no id, no response.
public struct JSONRPCNotification: Sendable, Equatable {
    public var method: String
    public var params: JSONObject

    public init(method: String, params: JSONObject = [:]) {
        self.method = method
        self.params = params
    }
}

/// A JSON-RPC response: a result or an error for one request id.
public struct JSONRPCResponse: Sendable, Equatable {
    /// The request id; `nil` only for errors about a message whose id could not be read.
    public var id: JSONRPCID?
    public var outcome: Outcome

    /// What the request produced.
    public enum Outcome: Sendable, Equatable {
        case result(JSONObject)
        case error(MCPError)
    }

    public init(id: JSONRPCID?, result: JSONObject) {
        self.id = id
        self.outcome = .result(result)
    }

    public init(id: JSONRPCID?, error: MCPError) {
        self.id = id
        self.outcome = .error(error)
    }

    public init(id: JSONRPCID?, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    /// The error, if this is an error response.
    public var error: MCPError? {
        if case .error(let e) = outcome { return e }
        return nil
    }
}

/// Any single JSON-RPC 2.0 message.
public enum JSONRPCMessage: Sendable, Equatable {
    case request(JSONRPCRequest)
    case notification(JSONRPCNotification)
    case response(JSONRPCResponse)

    /// Interprets a parsed JSON value as one message.
    ///
    /// - Throws: ``MCPError`` `invalidRequest` when the shape is not JSON-RPC 2.0. The error carries the id
    ///   when one could be read, so the reply can echo it.
    public init(json: JSONValue) throws(MCPError) {
        guard case .object(let object) = json else {
            throw MCPError.invalidRequest("a JSON-RPC message must be an object")
        }
        let id = object["id"].flatMap(JSONRPCID.init(json:))
        guard object["jsonrpc"]?.stringValue == "2.0" else {
            throw MCPError.invalidRequest("\"jsonrpc\" must be \"2.0\"", id: id)
        }
        if let method = object["method"] {
            guard case .string(let name) = method else { throw MCPError.invalidRequest("\"method\" must be a string", id: id) }
            let params: JSONObject
            switch object["params"] {
            case nil, .null?: params = [:]
            case .object(let p)?: params = p
            default: throw MCPError.invalidRequest("\"params\" must be an object", id: id)
            }
            if let rawID = object["id"], !rawID.isNull {
                guard let id else { throw MCPError.invalidRequest("\"id\" must be a string or an integer") }
                self = .request(JSONRPCRequest(id: id, method: name, params: params))
            } else {
                self = .notification(JSONRPCNotification(method: name, params: params))
            }
            return
        }
        if let result = object["result"] {
            guard case .object(let r) = result else { throw MCPError.invalidRequest("\"result\" must be an object", id: id) }
            self = .response(JSONRPCResponse(id: id, result: r))
            return
        }
        if case .object(let e)? = object["error"] {
            self = .response(JSONRPCResponse(id: id, error: MCPError(json: e)))
            return
        }
        throw MCPError.invalidRequest("a message needs \"method\", \"result\" or \"error\"", id: id)
    }

    /// The message as JSON.
    public var json: JSONValue {
        var o = JSONObject()
        o["jsonrpc"] = "2.0"
        switch self {
        case .request(let r):
            o["id"] = r.id.json
            o["method"] = .string(r.method)
            if !r.params.isEmpty { o["params"] = .object(r.params) }
        case .notification(let n):
            o["method"] = .string(n.method)
            if !n.params.isEmpty { o["params"] = .object(n.params) }
        case .response(let r):
            o["id"] = r.id?.json ?? .null
            switch r.outcome {
            case .result(let result): o["result"] = .object(result)
            case .error(let error): o["error"] = .object(error.json)
            }
        }
        return .object(o)
    }
}

extension JSONWriter {
    /// Writes a message as ``JSONRPCMessage/json`` would serialize it, without building the envelope first.
    public mutating func write(_ message: JSONRPCMessage) {
        appendRaw(#"{"jsonrpc":"2.0""#)
        switch message {
        case .request(let r):
            appendRaw(#","id":"#)
            write(r.id.json)
            writeCall(r.method, r.params)
        case .notification(let n):
            writeCall(n.method, n.params)
        case .response(let r):
            appendRaw(#","id":"#)
            write(r.id?.json ?? .null)
            switch r.outcome {
            case .result(let result):
                appendRaw(#","result":"#)
                write(.object(result))
            case .error(let error):
                appendRaw(#","error":"#)
                write(.object(error.json))
            }
        }
        appendRaw("}")
    }

    private mutating func writeCall(_ method: String, _ params: JSONObject) {
        appendRaw(#","method":"#)
        writeString(method)
        if !params.isEmpty {
            appendRaw(#","params":"#)
            write(.object(params))
        }
    }
}
