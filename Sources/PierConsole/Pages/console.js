// Pier's pages: copy buttons. No inline scripts (the pages' CSP allows only Pier's own files).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = button.getAttribute("data-copy");
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard (plain http on a non-local host): select the URL so the user can copy it.
    const code = button.parentElement.querySelector("code");
    if (code) window.getSelection().selectAllChildren(code);
    button.textContent = "Select";
    return;
  }
  const label = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = label; }, 1500);
});

// The dashboard: confirmations, and live updates over /dashboard/events (server-sent events).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
});

function cell(text, className) {
  const td = document.createElement("td");
  if (className) {
    const span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    td.appendChild(span);
  } else {
    td.textContent = text == null ? "" : String(text);
  }
  return td;
}

function showState(element, state) {
  element.textContent = state;
  element.className = "state " + (state === "running" ? "ok" : "bad");
}

function liveActivity(table) {
  const filter = {};
  for (const name of ["tool", "server", "subject", "outcome", "kind"]) {
    const value = table.getAttribute("data-" + name);
    if (value) filter[name] = value;
  }
  const source = new EventSource("/dashboard/events?after=" + encodeURIComponent(table.getAttribute("data-newest") || "0"));
  source.addEventListener("activity", (message) => {
    const row = JSON.parse(message.data);
    if (filter.tool && row.action !== filter.tool) return;
    if (filter.server && row.server !== filter.server) return;
    if (filter.subject && row.subject !== filter.subject) return;
    if (filter.outcome && row.status !== filter.outcome) return;
    if (filter.kind && row.kind !== filter.kind) return;
    if (table.querySelector(`tr[data-id="${row.id}"]`)) return;
    const tr = document.createElement("tr");
    tr.setAttribute("data-id", row.id);
    tr.className = "fresh";
    tr.appendChild(cell(row.at));
    tr.appendChild(cell(row.kind));
    tr.appendChild(cell(row.server));
    const action = cell(row.action);
    if (row.detail) {
      const detail = document.createElement("div");
      detail.className = "muted";
      detail.textContent = row.detail;
      action.appendChild(detail);
    }
    tr.appendChild(action);
    tr.appendChild(cell(row.status, "state " + (row.status === "ok" ? "ok" : "bad")));
    tr.appendChild(cell(row.subject));
    tr.appendChild(cell(row.kind === "tool_call" ? row.duration_ms + " ms" : ""));
    table.tBodies[0].insertBefore(tr, table.tBodies[0].firstChild);
  });
}

function liveServers(table) {
  const source = new EventSource("/dashboard/events");
  source.addEventListener("servers", (message) => {
    for (const server of JSON.parse(message.data)) {
      const row = table.querySelector(`tr[data-server="${CSS.escape(server.name)}"]`);
      if (!row) continue;
      showState(row.querySelector("[data-field=state]"), server.state);
      row.querySelector("[data-field=tools]").textContent = server.tools;
      row.querySelector("[data-field=restarts]").textContent = server.restarts;
    }
  });
}

function liveServer(tail) {
  const name = tail.getAttribute("data-server");
  const source = new EventSource("/dashboard/events?server=" + encodeURIComponent(name));
  source.addEventListener("stderr", (message) => {
    tail.textContent = JSON.parse(message.data).join("\n");
    tail.scrollTop = tail.scrollHeight;
  });
  source.addEventListener("servers", (message) => {
    const server = JSON.parse(message.data).find((s) => s.name === name);
    if (!server) return;
    showState(document.getElementById("state"), server.state);
    document.getElementById("tools").textContent = server.tools;
    document.getElementById("restarts").textContent = server.restarts;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const activity = document.querySelector("table#activity[data-live=true]");
  if (activity) liveActivity(activity);
  const servers = document.querySelector("table#servers");
  if (servers) liveServers(servers);
  const tail = document.querySelector("pre#stderr[data-server]");
  if (tail) liveServer(tail);
  document.body.setAttribute("data-ready", "true");
});
