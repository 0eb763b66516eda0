// The gallery widget: every widget Pier serves, and a preview of each, hosted here in a nested sandboxed frame
// with the widget's sample data (a small MCP Apps host: initialize, tool-result, size changes; no tool calls).
const $ = (id) => document.getElementById(id);
let previewing = null;

function render(data) {
  if (!data || !Array.isArray(data.widgets)) return;
  $("count").textContent = String(data.widgets.length);
  const list = $("widgets");
  list.replaceChildren();
  for (const w of data.widgets) {
    const li = document.createElement("li");
    li.dataset.widget = w.name;
    const text = document.createElement("div");
    text.className = "text";
    const title = document.createElement("div");
    title.className = "title";
    title.textContent = w.title;
    const description = document.createElement("div");
    description.textContent = w.description;
    const tools = document.createElement("div");
    tools.className = "tools muted";
    tools.textContent = w.tools.length ? "Shown by " + w.tools.join(", ") : "Not shown by any model-visible tool";
    text.append(title, description, tools);
    li.append(text);
    if (w.sample) {
      const b = document.createElement("button");
      b.textContent = "Preview";
      b.setAttribute("aria-label", "Preview " + w.title);
      b.addEventListener("click", () => preview(w));
      li.append(b);
    }
    list.append(li);
  }
}

async function preview(w) {
  $("error").hidden = true;
  try {
    const read = await widget.readResource(w.uri);
    const html = read.contents[0].text;
    previewing = w;
    $("preview-title").textContent = "Preview: " + w.title;
    $("preview").hidden = false;
    $("frame").srcdoc = html;
  } catch (e) {
    $("error").textContent = "Cannot preview " + w.title + ": " + e.message;
    $("error").hidden = false;
  }
}

$("close").addEventListener("click", () => {
  previewing = null;
  $("preview").hidden = true;
  $("frame").srcdoc = "";
});

window.addEventListener("message", (event) => {
  const frame = $("frame");
  if (!previewing || event.source !== frame.contentWindow) return;
  const m = event.data;
  if (!m || m.jsonrpc !== "2.0" || !m.method) return;
  const reply = (body) => frame.contentWindow.postMessage(Object.assign({ jsonrpc: "2.0", id: m.id }, body), "*");
  switch (m.method) {
    case "ui/initialize":
      reply({ result: {
        protocolVersion: "2026-01-26", hostInfo: { name: "pier-gallery-preview", version: "1.0.0" }, hostCapabilities: {},
        hostContext: Object.assign({ displayMode: "inline", availableDisplayModes: ["inline"] }, widget.context),
      } });
      break;
    case "ui/notifications/initialized":
      frame.contentWindow.postMessage({ jsonrpc: "2.0", method: "ui/notifications/tool-result", params: { content: [], structuredContent: previewing.sample } }, "*");
      break;
    case "ui/notifications/size-changed":
      if (m.params && m.params.height) frame.style.height = Math.min(m.params.height + 2, 900) + "px";
      break;
    default:
      if (m.id !== undefined) reply({ error: { code: -32000, message: "Preview only: " + m.method + " is not available in the gallery" } });
  }
});

const widget = PierWidget.connect({
  name: "pier-gallery",
  onResult: (r) => render(r && r.structuredContent),
  onContext: (ctx) => {
    const frame = $("frame");
    if (previewing && frame.contentWindow) {
      frame.contentWindow.postMessage({ jsonrpc: "2.0", method: "ui/notifications/host-context-changed", params: { theme: ctx.theme } }, "*");
    }
  },
});
