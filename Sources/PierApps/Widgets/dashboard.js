// The dashboard widget: Pier's own figures, refreshed through the app-only dashboard_stats tool.
const $ = (id) => document.getElementById(id);

function duration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
  if (d) return d + "d " + h + "h";
  if (h) return h + "h " + m + "m";
  if (m) return m + "m " + (seconds % 60) + "s";
  return seconds + "s";
}

function render(f) {
  if (!f || !f.server) return;
  $("title").textContent = f.server.name + " " + f.server.version;
  $("uptime").textContent = duration(f.uptimeSeconds);
  $("tools").textContent = f.tools;
  $("resources").textContent = f.resources;
  $("calls").textContent = f.calls.total;
  $("failed").textContent = f.calls.failed ? f.calls.failed + " failed" : "none failed";
  const list = $("recent");
  list.replaceChildren();
  for (const call of f.recentCalls) {
    const li = document.createElement("li");
    const tool = document.createElement("span");
    tool.className = "tool";
    tool.textContent = call.tool;
    const status = document.createElement("span");
    status.className = call.ok ? "ok" : "failed";
    status.textContent = call.ok ? "ok" : "failed";
    const meta = document.createElement("span");
    meta.className = "muted";
    meta.textContent = call.milliseconds + " ms · " + duration(call.secondsAgo) + " ago";
    li.append(tool, status, meta);
    list.append(li);
  }
  $("none").hidden = f.recentCalls.length > 0;
}

const widget = PierWidget.connect({ name: "pier-dashboard", onResult: (r) => render(r && r.structuredContent) });

$("refresh").addEventListener("click", async () => {
  $("error").hidden = true;
  try {
    const r = await widget.callTool("dashboard_stats", {});
    if (r && r.isError) throw new Error(r.content[0].text);
  } catch (e) {
    $("error").textContent = e.message;
    $("error").hidden = false;
  }
});
