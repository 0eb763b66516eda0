// Pier's widget bridge: the MCP Apps protocol (JSON-RPC over postMessage with the host), with ChatGPT's
// window.openai as a fallback. Loaded before each widget's own script; exposes globalThis.PierWidget.
(() => {
  const PROTOCOL = "2026-01-26";
  const pending = new Map();
  let nextId = 1;
  let bridged = false;
  const handlers = { input: [], result: [], context: [] };
  const state = { context: {}, input: null, result: null };

  const openai = () => (typeof window.openai === "object" && window.openai) || null;

  function post(message) {
    window.parent.postMessage(Object.assign({ jsonrpc: "2.0" }, message), "*");
  }

  function request(method, params, timeoutMs = 30000) {
    const id = nextId++;
    post({ id, method, params: params || {} });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(method + " timed out"));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
    });
  }

  function notify(method, params) {
    post({ method, params: params || {} });
  }

  function applyContext(ctx) {
    Object.assign(state.context, ctx || {});
    const c = state.context;
    if (c.theme) document.documentElement.dataset.theme = c.theme;
    if (c.locale) document.documentElement.lang = c.locale;
    if (c.displayMode) document.documentElement.dataset.displayMode = c.displayMode;
    handlers.context.forEach((f) => f(c));
  }

  function deliverInput(args) {
    state.input = args || {};
    handlers.input.forEach((f) => f(state.input));
  }

  function deliverResult(result) {
    state.result = result;
    handlers.result.forEach((f) => f(result));
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;
    const m = event.data;
    if (!m || m.jsonrpc !== "2.0") return;
    if (m.id !== undefined && !m.method) {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.result);
      return;
    }
    switch (m.method) {
      case "ui/notifications/tool-input": deliverInput(m.params && m.params.arguments); break;
      case "ui/notifications/tool-result": deliverResult(m.params); break;
      case "ui/notifications/host-context-changed": applyContext(m.params); break;
      case "ui/resource-teardown": post({ id: m.id, result: {} }); break;
      default:
        if (m.id !== undefined) post({ id: m.id, error: { code: -32601, message: "Method not found" } });
    }
  });

  // ChatGPT's older API: globals on window.openai, refreshed through the openai:set_globals event.
  function readOpenAIGlobals() {
    const o = openai();
    if (!o) return;
    applyContext({ theme: o.theme, locale: o.locale, displayMode: o.displayMode, maxHeight: o.maxHeight, safeArea: o.safeArea });
    if (o.toolInput && state.input === null) deliverInput(o.toolInput);
    if (o.toolOutput && (!state.result || state.result.structuredContent !== o.toolOutput)) {
      deliverResult({ structuredContent: o.toolOutput, content: [], _meta: o.toolResponseMetadata || undefined });
    }
  }
  window.addEventListener("openai:set_globals", () => { if (!bridged) readOpenAIGlobals(); });

  // The content's own size (the body), not the viewport's, so a frame can shrink as well as grow.
  function reportSize() {
    const box = document.body.getBoundingClientRect();
    const style = getComputedStyle(document.body);
    const height = Math.ceil(box.height + parseFloat(style.marginTop) + parseFloat(style.marginBottom));
    const width = Math.ceil(box.width);
    if (bridged) notify("ui/notifications/size-changed", { width, height });
    else if (openai() && typeof openai().notifyIntrinsicHeight === "function") openai().notifyIntrinsicHeight(height);
  }

  async function connect(app) {
    try {
      const init = await request("ui/initialize", {
        protocolVersion: PROTOCOL,
        appInfo: { name: app.name, version: "1.0.0" },
        appCapabilities: { availableDisplayModes: app.displayModes || ["inline", "fullscreen"] },
      }, openai() ? 1500 : 5000);
      bridged = true;
      applyContext(init && init.hostContext);
      notify("ui/notifications/initialized", {});
    } catch (e) {
      readOpenAIGlobals();
    }
    new ResizeObserver(reportSize).observe(document.body);
    reportSize();
  }

  globalThis.PierWidget = {
    /// Connects to the host. `app` = {name, onInput, onResult, onContext, displayModes}.
    connect(app) {
      if (app.onInput) handlers.input.push(app.onInput);
      if (app.onResult) handlers.result.push(app.onResult);
      if (app.onContext) handlers.context.push(app.onContext);
      const ready = connect(app);
      return {
        ready,
        get context() { return state.context; },
        /// Calls a tool on this widget's server; resolves with the CallToolResult.
        async callTool(name, args) {
          await ready;
          let result;
          if (bridged) result = await request("tools/call", { name, arguments: args || {} }, 120000);
          else if (openai() && openai().callTool) result = await openai().callTool(name, args || {});
          else throw new Error("No host to call tools through");
          if (result && !result.isError && result.structuredContent) deliverResult(result);
          return result;
        },
        /// Reads a resource (a widget template, say) from this widget's server through the host.
        async readResource(uri) {
          await ready;
          if (!bridged) throw new Error("This host cannot read resources for a widget");
          return request("resources/read", { uri });
        },
        /// Sends a follow-up message to the conversation as the user.
        async sendMessage(text) {
          await ready;
          if (bridged) return request("ui/message", { role: "user", content: [{ type: "text", text }] });
          if (openai() && openai().sendFollowUpMessage) return openai().sendFollowUpMessage({ prompt: text });
        },
        /// Asks the host for a display mode (inline, fullscreen, pip); resolves with the mode granted.
        async requestDisplayMode(mode) {
          await ready;
          if (bridged) {
            const r = await request("ui/request-display-mode", { mode });
            applyContext({ displayMode: r && r.mode });
            return r && r.mode;
          }
          if (openai() && openai().requestDisplayMode) return (await openai().requestDisplayMode({ mode })).mode;
        },
        /// Keeps per-widget state with the host where it can (ChatGPT's widgetState).
        setState(value) {
          if (openai() && openai().setWidgetState) openai().setWidgetState(value);
        },
      };
    },
  };
})();
