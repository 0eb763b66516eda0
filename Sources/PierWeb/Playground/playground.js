// The playground plays ChatGPT's part for this Pier: it lists the tools, builds a form from each inputSchema,
// asks before any tool that is not read-only, shows the exact JSON on the wire, and hosts widgets as a full
// MCP Apps host (with window.openai for older widgets).
const $ = (id) => document.getElementById(id);
const PROTOCOL = "2026-07-28";
const APPS_PROTOCOL = "2026-01-26";
const ENDPOINT = new URL("/mcp", location.href).toString();
const CLIENT_CAPABILITIES = { extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } } };

const state = {
  tools: [],
  selected: null,
  alwaysAllowed: new Set(JSON.parse(sessionStorage.getItem("pier.alwaysAllowed") || "[]")),
  widgetSessionId: localStorage.getItem("pier.widgetSessionId") || (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)),
  mounted: null, // {tool, args, result, meta}
  displayMode: "inline",
  nextRequestId: 1,
};
localStorage.setItem("pier.widgetSessionId", state.widgetSessionId);

// MARK: signing in, when the endpoint needs a token (PIER_AUTH=oauth)
// The playground signs in as ChatGPT would: the 401's protected-resource metadata, the authorization server's
// metadata, dynamic registration (kept in localStorage), PKCE S256, Pier's sign-in page, then the code (with its
// state and RFC 9207 iss checked) exchanged for a token kept in this tab's sessionStorage.

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const accessToken = () => sessionStorage.getItem("pier.accessToken");

async function fetchJSON(url, init) {
  const response = await fetch(url, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error_description || body.error || "HTTP " + response.status + " from " + url);
  return body;
}

async function signIn(challenge) {
  const named = /resource_metadata="([^"]+)"/.exec(challenge || "");
  const resource = await fetchJSON(named ? named[1] : new URL("/.well-known/oauth-protected-resource/mcp", location.href).toString());
  const issuer = resource.authorization_servers[0];
  const server = await fetchJSON(issuer + "/.well-known/oauth-authorization-server");
  if (server.issuer !== issuer) throw new Error("the authorization server's metadata names another issuer");
  const redirect = new URL("/playground", location.href).toString();
  let client = JSON.parse(localStorage.getItem("pier.oauthClient") || "null");
  if (!client || client.redirect !== redirect || client.issuer !== issuer) {
    const registered = await fetchJSON(server.registration_endpoint, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "Pier playground", redirect_uris: [redirect], token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] }),
    });
    client = { id: registered.client_id, redirect, issuer };
    localStorage.setItem("pier.oauthClient", JSON.stringify(client));
  }
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const codeChallenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const stateValue = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("pier.signIn", JSON.stringify({
    verifier, state: stateValue, issuer, tokenEndpoint: server.token_endpoint, resource: resource.resource, client: client.id, redirect,
    tool: new URLSearchParams(location.search).get("tool"),
  }));
  const url = new URL(server.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code", client_id: client.id, redirect_uri: redirect, code_challenge: codeChallenge, code_challenge_method: "S256",
    state: stateValue, scope: (resource.scopes_supported || []).join(" "), resource: resource.resource,
  }).toString();
  location.assign(url.toString());
  return new Promise(() => {}); // the page goes to the sign-in
}

/// Back from the sign-in page: check the answer and exchange the code. Returns the tool to select, if any.
async function finishSignIn() {
  const answer = new URLSearchParams(location.search);
  if (!answer.has("code") && !answer.has("error")) return null;
  const pending = JSON.parse(sessionStorage.getItem("pier.signIn") || "null");
  sessionStorage.removeItem("pier.signIn");
  history.replaceState(null, "", location.pathname);
  if (!pending || answer.get("state") !== pending.state) throw new Error("the sign-in answer does not belong to this tab");
  if (answer.get("iss") !== pending.issuer) throw new Error("the sign-in answer came from another issuer");
  if (answer.has("error")) throw new Error(answer.get("error_description") || answer.get("error"));
  const token = await fetchJSON(pending.tokenEndpoint, {
    method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: answer.get("code"), code_verifier: pending.verifier,
      client_id: pending.client, redirect_uri: pending.redirect, resource: pending.resource }),
  });
  sessionStorage.setItem("pier.accessToken", token.access_token);
  return pending.tool;
}

// MARK: talking to /mcp

async function mcp(method, params, { show = false } = {}) {
  const body = {
    jsonrpc: "2.0", id: state.nextRequestId++, method,
    params: Object.assign({}, params, {
      _meta: Object.assign({
        "io.modelcontextprotocol/protocolVersion": PROTOCOL,
        "io.modelcontextprotocol/clientCapabilities": CLIENT_CAPABILITIES,
        "io.modelcontextprotocol/clientInfo": { name: "pier-playground", version: "1.0.0" },
        "openai/locale": navigator.language || "en-US",
        "openai/userAgent": navigator.userAgent,
        "openai/widgetSessionId": state.widgetSessionId,
      }, (params && params._meta) || {}),
    }),
  };
  const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": PROTOCOL, "Mcp-Method": method };
  const name = method === "tools/call" || method === "prompts/get" ? params.name : method === "resources/read" ? params.uri : null;
  if (name) headers["Mcp-Name"] = name;
  if (accessToken()) headers.Authorization = "Bearer " + accessToken();
  if (show) $("request").textContent = JSON.stringify(body, null, 2);
  const response = await fetch(ENDPOINT, { method: "POST", headers, body: JSON.stringify(body) });
  if (response.status === 401) {
    sessionStorage.removeItem("pier.accessToken");
    return signIn(response.headers.get("WWW-Authenticate"));
  }
  if (response.status === 403) {
    throw Object.assign(new Error("this sign-in does not allow that: " + (response.headers.get("WWW-Authenticate") || "403")), { code: 403 });
  }
  const text = await response.text();
  let message;
  if ((response.headers.get("content-type") || "").startsWith("text/event-stream")) {
    const frames = text.split("\n").filter((l) => l.startsWith("data: ") && l.slice(6).trim()).map((l) => JSON.parse(l.slice(6)));
    message = frames.find((f) => f.id === body.id) || frames[frames.length - 1];
  } else {
    message = JSON.parse(text);
  }
  if (show) $("response").textContent = JSON.stringify(message, null, 2);
  if (message.error) throw Object.assign(new Error(message.error.message), { code: message.error.code });
  return message.result;
}

async function loadTools() {
  let cursor;
  const tools = [];
  do {
    const page = await mcp("tools/list", cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  state.tools = tools;
  renderToolList();
}

// MARK: tool list and form

function hints(tool) {
  const a = tool.annotations || {};
  const out = [];
  out.push(a.readOnlyHint ? ["read-only", ""] : ["writes", "write"]);
  if (a.destructiveHint) out.push(["destructive", "destructive"]);
  if (a.openWorldHint) out.push(["open world", "write"]);
  if (a.idempotentHint) out.push(["idempotent", ""]);
  for (const s of tool.securitySchemes || (tool._meta && tool._meta.securitySchemes) || []) out.push(["auth: " + s.type + (s.scopes && s.scopes.length ? " " + s.scopes.join(" ") : ""), ""]);
  if (widgetURI(tool)) out.push(["widget", ""]);
  const vis = visibility(tool);
  if (!vis.includes("model")) out.push(["app only", ""]);
  return out;
}

const widgetURI = (tool) => (tool._meta && ((tool._meta.ui && tool._meta.ui.resourceUri) || tool._meta["openai/outputTemplate"])) || null;
const visibility = (tool) => (tool._meta && tool._meta.ui && tool._meta.ui.visibility) || ["model", "app"];

function badge(text, kind) {
  const b = document.createElement("span");
  b.className = "badge" + (kind ? " " + kind : "");
  b.textContent = text;
  return b;
}

function renderToolList() {
  $("tool-count").textContent = String(state.tools.length);
  const list = $("tools");
  list.replaceChildren();
  for (const tool of state.tools) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.dataset.tool = tool.name;
    const title = document.createElement("div");
    title.textContent = tool.title || tool.name;
    const name = document.createElement("div");
    name.className = "muted";
    name.textContent = tool.name;
    const badges = document.createElement("div");
    badges.className = "badges";
    for (const [text, kind] of hints(tool)) badges.append(badge(text, kind));
    b.append(title, name, badges);
    b.addEventListener("click", () => select(tool.name));
    li.append(b);
    list.append(li);
  }
}

function select(name) {
  const tool = state.tools.find((t) => t.name === name);
  if (!tool) return;
  state.selected = tool;
  document.querySelectorAll("#tools button").forEach((b) => b.classList.toggle("selected", b.dataset.tool === name));
  $("pick").hidden = true;
  $("tool").hidden = false;
  $("tool-name").textContent = tool.title ? tool.title + " (" + tool.name + ")" : tool.name;
  $("tool-description").textContent = tool.description || "";
  const badges = $("tool-badges");
  badges.replaceChildren(...hints(tool).map(([t, k]) => badge(t, k)));
  buildForm(tool.inputSchema || { type: "object", properties: {} });
  $("status").textContent = "";
}

function buildForm(schema) {
  const form = $("form");
  form.replaceChildren();
  const required = new Set(schema.required || []);
  for (const [key, prop] of Object.entries(schema.properties || {})) {
    const label = document.createElement("label");
    label.htmlFor = "field-" + key;
    label.textContent = key + (required.has(key) ? " *" : "");
    let input;
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
    if (Array.isArray(prop.enum)) {
      input = document.createElement("select");
      if (!required.has(key)) input.append(new Option("", ""));
      for (const v of prop.enum) input.append(new Option(String(v), JSON.stringify(v)));
      input.dataset.kind = "enum";
    } else if (type === "boolean") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.dataset.kind = "boolean";
    } else if (type === "integer" || type === "number") {
      input = document.createElement("input");
      input.type = "number";
      if (type === "integer") input.step = "1";
      input.dataset.kind = type;
    } else if (type === "string") {
      input = document.createElement("input");
      input.type = "text";
      input.dataset.kind = "string";
    } else {
      input = document.createElement("textarea");
      input.dataset.kind = "json";
      input.placeholder = type === "array" ? "[ … ] as JSON" : "{ … } as JSON";
    }
    if (prop.default !== undefined && input.dataset.kind !== "json") {
      if (input.type === "checkbox") input.checked = !!prop.default; else input.value = input.dataset.kind === "enum" ? JSON.stringify(prop.default) : prop.default;
    }
    input.id = "field-" + key;
    input.name = key;
    const help = document.createElement("div");
    help.className = "muted";
    help.textContent = prop.description || "";
    form.append(label, input, help);
  }
  if (!form.children.length) form.append(Object.assign(document.createElement("p"), { className: "muted", textContent: "No arguments." }));
}

function readForm() {
  const args = {};
  for (const input of $("form").querySelectorAll("input, select, textarea")) {
    const kind = input.dataset.kind;
    if (kind === "boolean") { if (input.checked) args[input.name] = true; continue; }
    if (input.value === "") continue;
    if (kind === "integer" || kind === "number") args[input.name] = Number(input.value);
    else if (kind === "enum") args[input.name] = JSON.parse(input.value);
    else if (kind === "json") {
      try { args[input.name] = JSON.parse(input.value); } catch (e) { throw new Error(input.name + " is not valid JSON: " + e.message); }
    } else args[input.name] = input.value;
  }
  return args;
}

// MARK: confirmation

function confirmCall(tool, args) {
  const a = tool.annotations || {};
  if (a.readOnlyHint === true || state.alwaysAllowed.has(tool.name)) return Promise.resolve(true);
  const dialog = $("confirm");
  $("confirm-title").textContent = "Allow " + (tool.title || tool.name) + "?";
  $("confirm-text").textContent = (a.destructiveHint ? "This tool can delete or overwrite data. " : "This tool changes data. ") +
    (a.openWorldHint ? "It can affect things outside this app." : "It stays within this app.");
  $("confirm-args").textContent = JSON.stringify(args, null, 2);
  return new Promise((resolve) => {
    dialog.addEventListener("close", function done() {
      dialog.removeEventListener("close", done);
      if (dialog.returnValue === "always") {
        state.alwaysAllowed.add(tool.name);
        sessionStorage.setItem("pier.alwaysAllowed", JSON.stringify([...state.alwaysAllowed]));
      }
      resolve(dialog.returnValue === "once" || dialog.returnValue === "always");
    });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

// MARK: calling and mounting

async function callSelected() {
  const tool = state.selected;
  if (!tool) return;
  let args;
  try { args = readForm(); } catch (e) { $("status").textContent = e.message; return; }
  if (!(await confirmCall(tool, args))) {
    $("status").textContent = "Denied: the tool was not called.";
    $("request").textContent = "– (denied by the user)";
    $("response").textContent = "–";
    return;
  }
  $("status").textContent = "Calling…";
  try {
    const result = await mcp("tools/call", { name: tool.name, arguments: args }, { show: true });
    $("status").textContent = result.isError ? "The tool reported an error." : "Done.";
    if (widgetURI(tool)) await mount(tool, args, result);
  } catch (e) {
    $("status").textContent = "Error " + (e.code || "") + ": " + e.message;
  }
}

const resourceCache = new Map();
async function readWidget(uri) {
  if (!resourceCache.has(uri)) resourceCache.set(uri, mcp("resources/read", { uri }));
  const read = await resourceCache.get(uri);
  return read.contents[0];
}

function hostContext() {
  const wrap = $("frame-wrap");
  return {
    theme: $("dark").checked ? "dark" : "light",
    locale: navigator.language || "en-US",
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    userAgent: navigator.userAgent,
    platform: "web",
    displayMode: state.displayMode,
    availableDisplayModes: ["inline", "fullscreen"],
    containerDimensions: { width: wrap.clientWidth || 600, maxHeight: state.displayMode === "fullscreen" ? window.innerHeight : 800 },
    safeAreaInsets: { top: 0, right: 0, bottom: 0, left: 0 },
    deviceCapabilities: { touch: matchMedia("(pointer: coarse)").matches, hover: matchMedia("(hover: hover)").matches },
    toolInfo: state.mounted ? { tool: state.mounted.tool } : undefined,
  };
}

async function mount(tool, args, result) {
  const content = await readWidget(widgetURI(tool));
  state.mounted = { tool, args, result, meta: content._meta || {} };
  state.displayMode = "inline";
  $("widget-area").hidden = false;
  $("widget-title").textContent = tool.title || tool.name;
  $("violations").replaceChildren();
  $("violations-area").hidden = true;
  const globals = {
    toolInput: args, toolOutput: result.structuredContent || null, toolResponseMetadata: result._meta || null,
    widgetState: JSON.parse(sessionStorage.getItem("pier.widgetState." + content.uri) || "null"),
    theme: hostContext().theme, locale: hostContext().locale, displayMode: "inline", maxHeight: 800,
    safeArea: { insets: { top: 0, right: 0, bottom: 0, left: 0 } }, userAgent: { device: { type: "desktop" }, capabilities: { hover: true, touch: false } },
    view: { mode: "inline" },
  };
  const frame = $("widget");
  frame.style.height = "240px";
  frame.srcdoc = PierPlaygroundHost.frameDocument(content.text, content._meta || {}, globals);
  applyDisplayMode("inline");
}

function post(message) {
  $("widget").contentWindow.postMessage(Object.assign({ jsonrpc: "2.0" }, message), "*");
}

/// The messages the window.openai shim itself sends (callTool, sendFollowUpMessage, requestDisplayMode, …).
const SHIM_METHODS = new Set(["ui/message", "ui/request-display-mode", "ui/open-link", "ui/notifications/size-changed"]);

/// Whether the playground plays an older ChatGPT that knows only window.openai (no MCP Apps bridge).
const openAIOnly = () => $("host-api").value === "openai";

/// Tells the widget something changed: an MCP Apps notification, or new window.openai globals on older hosts.
function contextChanged(changes) {
  if (openAIOnly()) post({ method: "pier/set-globals", params: changes });
  else post({ method: "ui/notifications/host-context-changed", params: changes });
}

function logBridge(direction, message) {
  const li = document.createElement("li");
  li.textContent = direction + " " + (message.method || ("reply " + message.id)) + (message.error ? " ✗ " + message.error.message : "");
  $("bridge-log").append(li);
}

function applyDisplayMode(mode) {
  state.displayMode = mode;
  $("frame-wrap").classList.toggle("fullscreen", mode === "fullscreen");
  $("display-mode").textContent = mode;
}

async function onBridgeRequest(m) {
  const mounted = state.mounted;
  switch (m.method) {
    case "ui/initialize":
      return {
        protocolVersion: APPS_PROTOCOL,
        hostInfo: { name: "pier-playground", version: "1.0.0" },
        hostCapabilities: { openLinks: {}, serverTools: {}, serverResources: {}, logging: {}, updateModelContext: {} },
        hostContext: hostContext(),
      };
    case "ping": return {};
    case "tools/call": {
      const tool = state.tools.find((t) => t.name === (m.params && m.params.name));
      if (!tool) throw { code: -32602, message: "Unknown tool " + (m.params && m.params.name) };
      if (!visibility(tool).includes("app")) throw { code: -32000, message: tool.name + " is not callable from widgets (its ui.visibility excludes \"app\")" };
      if (!(await confirmCall(tool, m.params.arguments || {}))) throw { code: -32000, message: "The user denied " + tool.name };
      const result = await mcp("tools/call", { name: tool.name, arguments: m.params.arguments || {} }, { show: true });
      if (result.structuredContent !== undefined && mounted) mounted.result = result;
      return result;
    }
    case "resources/read": return mcp("resources/read", { uri: m.params.uri });
    case "ui/message": {
      const text = ((m.params && m.params.content) || []).map((c) => c.text || "").join(" ");
      const li = document.createElement("li");
      li.textContent = "User (from widget): " + text;
      $("messages").append(li);
      $("messages-area").hidden = false;
      return {};
    }
    case "ui/request-display-mode": {
      const mode = m.params && m.params.mode === "fullscreen" ? "fullscreen" : "inline";
      applyDisplayMode(mode);
      contextChanged({ displayMode: mode });
      return { mode };
    }
    case "ui/open-link":
      window.open(m.params.url, "_blank", "noopener");
      return {};
    case "ui/update-model-context": return {};
    default:
      throw { code: -32601, message: "Method not found: " + m.method };
  }
}

function onBridgeNotification(m) {
  switch (m.method) {
    case "ui/notifications/initialized":
      if (state.mounted) {
        post({ method: "ui/notifications/tool-input", params: { arguments: state.mounted.args } });
        post({ method: "ui/notifications/tool-result", params: state.mounted.result });
      }
      break;
    case "ui/notifications/size-changed": {
      const h = m.params && m.params.height;
      if (h && state.displayMode === "inline") $("widget").style.height = Math.min(Math.max(h, 60), 800) + "px";
      break;
    }
    case "pier/csp-violation": {
      const li = document.createElement("li");
      li.textContent = (m.params.effectiveDirective || m.params.violatedDirective) + " blocked " + (m.params.blockedURI || "(inline)");
      li.dataset.blocked = m.params.blockedURI || "";
      $("violations").append(li);
      $("violations-area").hidden = false;
      break;
    }
    case "pier/widget-state":
      if (state.mounted) sessionStorage.setItem("pier.widgetState." + state.mounted.tool.name, JSON.stringify(m.params.state));
      break;
  }
}

window.addEventListener("message", async (event) => {
  if (event.source !== $("widget").contentWindow) return;
  const m = event.data;
  if (!m || m.jsonrpc !== "2.0" || !m.method) return;
  // An older host does not know the MCP Apps bridge (it never answers ui/initialize); it hears only what the
  // window.openai shim sends.
  if (openAIOnly() && m.method.startsWith("ui/") && !SHIM_METHODS.has(m.method)) return;
  logBridge("←", m);
  if (m.id === undefined) return onBridgeNotification(m);
  let reply;
  try {
    reply = { id: m.id, result: await onBridgeRequest(m) };
  } catch (e) {
    reply = { id: m.id, error: { code: e.code || -32603, message: e.message || String(e) } };
  }
  logBridge("→", reply);
  post(reply);
});

// MARK: theme and start-up

function applyTheme() {
  const theme = $("dark").checked ? "dark" : "light";
  document.documentElement.dataset.theme = theme;
  localStorage.setItem("pier.theme", theme);
  if (state.mounted) contextChanged({ theme });
}

$("dark").checked = (localStorage.getItem("pier.theme") || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light")) === "dark";
$("dark").addEventListener("change", applyTheme);
$("host-api").value = localStorage.getItem("pier.hostAPI") || "apps";
$("host-api").addEventListener("change", () => localStorage.setItem("pier.hostAPI", $("host-api").value));
applyTheme();
$("call").addEventListener("click", (e) => { e.preventDefault(); callSelected(); });
$("endpoint").textContent = ENDPOINT;
new ResizeObserver(() => {
  if (state.mounted && !openAIOnly()) post({ method: "ui/notifications/host-context-changed", params: { containerDimensions: hostContext().containerDimensions } });
}).observe($("frame-wrap"));
let returnedTool = null;
finishSignIn().then((tool) => { returnedTool = tool; }).then(loadTools).then(() => {
  if (accessToken()) $("endpoint").textContent = ENDPOINT + " · signed in";
  const wanted = returnedTool || new URLSearchParams(location.search).get("tool");
  if (wanted) select(wanted);
  document.body.dataset.ready = "true";
}).catch((e) => { $("tool-count").textContent = "!"; $("pick").textContent = "Cannot list tools: " + e.message; });
