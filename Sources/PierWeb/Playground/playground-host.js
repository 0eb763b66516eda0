// How the playground mounts a widget the way ChatGPT does: the widget's HTML in a sandboxed frame on an opaque
// origin, its declared CSP enforced, and a small shim that provides window.openai and reports CSP violations.
(() => {
  const quote = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

  /// The CSP a host derives from a widget resource's _meta (MCP Apps ui.csp, else openai/widgetCSP).
  function cspFor(meta) {
    const ui = (meta && meta.ui && meta.ui.csp) || null;
    const oai = (meta && meta["openai/widgetCSP"]) || {};
    const connect = (ui ? ui.connectDomains : oai.connect_domains) || [];
    const resources = (ui ? ui.resourceDomains : oai.resource_domains) || [];
    const frames = (ui ? ui.frameDomains : oai.frame_domains) || [];
    const bases = (ui && ui.baseUriDomains) || [];
    const list = (xs, fallback) => (xs.length ? xs.join(" ") : fallback);
    const res = resources.join(" ");
    return [
      "default-src 'none'",
      "script-src 'unsafe-inline' " + res,
      "style-src 'unsafe-inline' " + res,
      "img-src data: blob: " + res,
      "font-src data: " + res,
      "media-src data: blob: " + res,
      "connect-src " + list(connect, "'none'"),
      "frame-src " + list(frames, "'none'"),
      "base-uri " + list(bases, "'none'"),
      "form-action 'none'",
    ].join("; ");
  }

  // Runs inside the widget frame before the widget's own scripts.
  function shim(globals) {
    const pending = new Map();
    let next = 1;
    const call = (method, params) => new Promise((resolve, reject) => {
      const id = "oai-" + next++;
      pending.set(id, { resolve, reject });
      window.parent.postMessage({ jsonrpc: "2.0", id, method, params }, "*");
    });
    const setGlobals = (changed) => {
      Object.assign(window.openai, changed);
      window.dispatchEvent(new CustomEvent("openai:set_globals", { detail: { globals: changed } }));
    };
    window.openai = Object.assign({}, globals, {
      callTool: (name, args) => call("tools/call", { name, arguments: args || {} }),
      sendFollowUpMessage: ({ prompt }) => call("ui/message", { role: "user", content: [{ type: "text", text: prompt }] }),
      requestDisplayMode: ({ mode }) => call("ui/request-display-mode", { mode }),
      openExternal: ({ href }) => call("ui/open-link", { url: href }),
      notifyIntrinsicHeight: (height) => window.parent.postMessage({ jsonrpc: "2.0", method: "ui/notifications/size-changed", params: { height } }, "*"),
      setWidgetState: (state) => {
        window.openai.widgetState = state;
        window.parent.postMessage({ jsonrpc: "2.0", method: "pier/widget-state", params: { state } }, "*");
      },
    });
    window.addEventListener("message", (event) => {
      if (event.source !== window.parent) return;
      const m = event.data || {};
      if (typeof m.id === "string" && m.id.startsWith("oai-") && !m.method) {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.error) p.reject(new Error(m.error.message)); else p.resolve(m.result);
      } else if (m.method === "pier/set-globals") {
        setGlobals(m.params || {});
      } else if (m.method === "ui/notifications/host-context-changed") {
        const c = m.params || {};
        const changed = {};
        for (const k of ["theme", "locale", "displayMode"]) if (c[k] !== undefined) changed[k] = c[k];
        if (Object.keys(changed).length) setGlobals(changed);
      } else if (m.method === "ui/notifications/tool-result") {
        const r = m.params || {};
        setGlobals({ toolOutput: r.structuredContent || null, toolResponseMetadata: r._meta || null });
      } else if (m.method === "ui/notifications/tool-input") {
        setGlobals({ toolInput: (m.params && m.params.arguments) || {} });
      }
    });
    document.addEventListener("securitypolicyviolation", (e) => {
      window.parent.postMessage({ jsonrpc: "2.0", method: "pier/csp-violation", params: {
        blockedURI: e.blockedURI, effectiveDirective: e.effectiveDirective, violatedDirective: e.violatedDirective,
        sourceFile: e.sourceFile, lineNumber: e.lineNumber } }, "*");
    });
  }

  /// The frame document: the widget HTML with the CSP meta and the shim first in <head>.
  function frameDocument(html, meta, globals) {
    const head = '<meta http-equiv="Content-Security-Policy" content="' + quote(cspFor(meta)) + '">' +
      "<script>(" + shim.toString() + ")(" + JSON.stringify(globals).replace(/</g, "\\u003c") + ");</script>";
    const at = html.search(/<head[^>]*>/i);
    if (at >= 0) {
      const end = html.indexOf(">", at) + 1;
      return html.slice(0, end) + head + html.slice(end);
    }
    return head + html;
  }

  window.PierPlaygroundHost = { cspFor, frameDocument };
})();
