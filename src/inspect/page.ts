/**
 * @module The inspector page: one self-contained HTML document (no CDN, no build step), served
 * at `GET /_inspect/`. It lists turns live from `/_inspect/api/events`, opens one to its request,
 * turn, reply and platform body, replays it (optionally with an edited body) and shows the new
 * answer beside the old with the changed fields marked; copies a curl line; saves a turn as a
 * conversation test. Keyboard: ↑/↓ or j/k move, Enter opens, r replays. Light and dark follow
 * the system.
 */
export const INSPECTOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>webhook-serve inspector</title>
<style>
  :root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --sel: #ddf4ff; --bad: #cf222e; --good: #1a7f37; --mark: #fff8c5; }
  @media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --sel: #1f3b5a; --bad: #ff7b72; --good: #3fb950; --mark: #4d3b00; } }
  body { margin: 0; font: 14px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
  header { padding: 10px 16px; border-bottom: 1px solid var(--line); display: flex; gap: 12px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  #state { color: var(--muted); }
  main { display: grid; grid-template-columns: minmax(420px, 1fr) 1.2fr; height: calc(100vh - 44px); }
  #list { overflow: auto; border-right: 1px solid var(--line); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
  th { position: sticky; top: 0; background: var(--bg); color: var(--muted); font-weight: 600; }
  tr.turn { cursor: pointer; }
  tr.turn:focus, tr.turn[aria-selected="true"] { background: var(--sel); outline: none; }
  .bad { color: var(--bad); } .good { color: var(--good); } .muted { color: var(--muted); }
  #detail { overflow: auto; padding: 12px 16px; }
  pre { background: color-mix(in srgb, var(--line) 30%, transparent); padding: 8px; overflow: auto; margin: 4px 0 12px; }
  h2 { font-size: 14px; margin: 14px 0 4px; }
  button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); border-radius: 6px; cursor: pointer; }
  textarea { width: 100%; min-height: 120px; font: 12px ui-monospace, monospace; background: var(--bg); color: var(--fg); border: 1px solid var(--line); }
  .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
  mark { background: var(--mark); color: inherit; }
</style>
</head>
<body>
<header><h1>webhook-serve inspector</h1><span id="state">connecting…</span></header>
<main>
  <section id="list" aria-label="Turns">
    <table><thead><tr><th>time</th><th>webhook</th><th>platform</th><th>turn</th><th>route</th><th>status</th><th>ms</th></tr></thead>
    <tbody id="rows"></tbody></table>
  </section>
  <section id="detail" aria-live="polite"><p class="muted">Post a turn to the server; it appears here. Select one to see it.</p></section>
</main>
<script>
// Every change carries a JSON type and a custom header: no other site's page can send both.
const api = (path) => "/_inspect/api/" + path;
const post = (path, body, extra) => fetch(api(path), { method: "POST", headers: { "content-type": "application/json", "x-inspect-request": "1", ...extra }, body: JSON.stringify(body) });
const turns = new Map();
let selected;
const rows = document.getElementById("rows");
const detail = document.getElementById("detail");
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const json = (v) => v === undefined ? "(none)" : JSON.stringify(v, null, 2);

function row(t) {
  const tr = document.createElement("tr");
  tr.className = "turn"; tr.tabIndex = 0; tr.dataset.id = t.id;
  const route = t.route ?? (t.explanation ? "no route" : "");
  tr.innerHTML = "<td>" + esc(t.time.slice(11, 23)) + "</td><td>" + esc(t.webhook ?? t.path) + "</td><td>" + esc(t.platform ?? "") + "</td><td>" + esc(t.asked ?? "") +
    (t.replayOf ? ' <span class="muted">(replay of #' + t.replayOf + ")</span>" : "") + "</td><td>" + esc(route) + '</td><td class="' + (t.status < 400 ? "good" : "bad") + '">' + t.status + "</td><td>" + t.ms + "</td>";
  tr.addEventListener("click", () => open(t.id));
  return tr;
}
function add(t) { if (turns.has(t.id)) return; turns.set(t.id, t); rows.prepend(row(t)); }
function highlight(value, changed) {
  let text = esc(json(value));
  for (const path of changed ?? []) {
    const key = path.split(".").pop();
    text = text.replace(new RegExp("(&quot;" + key.replace(/[.*+?^$()|[\\]\\\\]/g, "\\\\$&") + "&quot;: [^\\n]*)", "g"), "<mark>$1</mark>");
  }
  return text;
}
// POSIX single quotes: nothing inside is expanded ($(…), backticks, $VAR); a quote is '\\''.
const sh = (s) => "'" + String(s).replace(/'/g, "'\\\\''") + "'";
function curl(t) {
  const headers = Object.entries(t.headers).filter(([k]) => !["host", "content-length", "connection"].includes(k)).map(([k, v]) => " -H " + sh(k + ": " + v)).join("");
  return "curl -X " + sh(t.method) + " " + sh(location.origin + t.path) + headers + " --data-binary " + sh(typeof t.body === "string" ? t.body : JSON.stringify(t.body));
}
function conversation(t) {
  const key = (t.asked ?? "").split("=");
  const params = t.turn?.params ?? {};
  const text = Array.isArray(t.reply?.text) ? t.reply.text.join("\\n") : t.reply?.text;
  return "# Saved from the webhook-serve inspector (turn #" + t.id + ")\\nconfig: ../config.yaml\\nwebhook: " + t.path + "\\nturns:\\n  - " +
    (key.length === 2 ? key[0] + ": " + JSON.stringify(key[1]) : "text: " + JSON.stringify(t.turn?.text ?? "")) + "\\n    params: " + JSON.stringify(params) +
    "\\n    expect: { " + (text !== undefined ? "text: " + JSON.stringify(text) + ", " : "") + "route: " + JSON.stringify(t.route ?? "none") + " }\\n";
}
function open(id) {
  const t = turns.get(id);
  if (!t) return;
  selected = id;
  for (const tr of rows.children) tr.setAttribute("aria-selected", String(Number(tr.dataset.id) === id));
  const before = t.replayOf ? turns.get(t.replayOf) : undefined;
  detail.innerHTML =
    "<h2>#" + t.id + " " + esc(t.method + " " + t.path) + " → " + t.status + (t.route ? " via " + esc(t.route) : "") + "</h2>" +
    '<p><button id="replay">Replay</button> <button id="curl">Copy as curl</button> <button id="save">Save as conversation test</button></p>' +
    (t.explanation ? "<h2>Why no route matched</h2><pre>" + esc(t.explanation.join("\\n")) + "</pre>" : "") +
    (t.replayNote ? '<p id="note" class="muted">Replay of #' + t.replayOf + ": " + esc(t.replayNote) + "</p>" : "") +
    (before ? '<h2>Replay: before and after</h2><div class="pair"><pre id="before">' + esc(json(before.response)) + '</pre><pre id="after">' + highlight(t.response, t.changed) + "</pre></div>" +
      '<p id="changed">' + (t.changed.length ? "changed: " + esc(t.changed.join(", ")) : "no change") + "</p>" : "") +
    "<h2>Platform body</h2><pre id=\\"response\\">" + esc(json(t.response)) + "</pre>" +
    "<h2>Handler log</h2><pre id=\\"logs\\">" + esc((t.logs ?? []).map((l) => l.level + " " + (l.msg ?? "") + (l.data !== undefined ? " " + JSON.stringify(l.data) : "")).join("\\n") || "(nothing logged)") + "</pre>" +
    (t.timing ? "<h2>Timing</h2><pre id=\\"timing\\">checks " + t.timing.checks + " ms · handler " + t.timing.handler + " ms · reply " + t.timing.reply + " ms · whole request " + t.ms + " ms</pre>" : "") +
    "<h2>Reply</h2><pre>" + esc(json(t.reply)) + "</pre>" +
    "<h2>Turn</h2><pre>" + esc(json(t.turn)) + "</pre>" +
    "<h2>Request headers</h2><pre>" + esc(json(t.headers)) + "</pre>" +
    '<h2>Request body <span class="muted">(edit, then Replay)</span></h2><textarea id="body" aria-label="Request body">' + esc(json(t.body)) + "</textarea>" +
    '<pre id="out" class="muted"></pre>';
  document.getElementById("replay").onclick = () => replay(id);
  document.getElementById("curl").onclick = () => show(curl(t), "curl");
  document.getElementById("save").onclick = () => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([conversation(t)], { type: "text/yaml" }));
    a.download = "turn-" + t.id + ".conversation.yaml"; a.click();
    show(conversation(t), "conversation test");
  };
}
function show(text, what) {
  document.getElementById("out").textContent = text;
  navigator.clipboard?.writeText(text).catch(() => {});
}
async function replay(id) {
  let body;
  const edited = document.getElementById("body")?.value;
  if (edited !== undefined && edited !== json(turns.get(id).body)) {
    try { body = JSON.parse(edited); } catch { body = edited; }
  }
  const ask = body === undefined ? {} : { body };
  let res = await post("turns/" + id + "/replay", ask);
  let record = await res.json();
  // A turn refused for its credentials would be replayed with the server's own: ask first.
  if (record.error?.code === "WHS_ERR_REPLAY_NEEDS_CONFIRM") {
    if (!confirm("Turn #" + id + " was refused for its credentials. Replaying it sends the server's own credentials. Replay anyway?")) return;
    res = await post("turns/" + id + "/replay", { ...ask, confirm: true });
    record = await res.json();
  }
  if (record.error) { document.getElementById("out").textContent = record.error.message; return; }
  if (!turns.has(record.id)) add(record);
  open(record.id);
}
function move(step) {
  const list = [...rows.children];
  const at = list.findIndex((tr) => Number(tr.dataset.id) === selected);
  const next = list[Math.max(0, Math.min(list.length - 1, at + step))];
  if (next) { next.focus(); open(Number(next.dataset.id)); }
}
document.addEventListener("keydown", (e) => {
  if (e.target instanceof HTMLTextAreaElement) return;
  if (e.key === "ArrowDown" || e.key === "j") { move(1); e.preventDefault(); }
  if (e.key === "ArrowUp" || e.key === "k") { move(-1); e.preventDefault(); }
  if (e.key === "Enter" && document.activeElement?.dataset?.id) open(Number(document.activeElement.dataset.id));
  if (e.key === "r" && selected !== undefined) replay(selected);
});
function listen() {
  const events = new EventSource(api("events"));
  events.addEventListener("open", () => (document.getElementById("state").textContent = "live"));
  events.addEventListener("error", () => (document.getElementById("state").textContent = "reconnecting…"));
  events.addEventListener("turn", (e) => { const t = JSON.parse(e.data); if (!turns.has(t.id)) add(t); });
}
// With --inspect-token the page asks for it once; the server answers with an HttpOnly cookie (never in the URL).
function askToken() {
  document.getElementById("state").textContent = "token needed";
  detail.innerHTML = '<form id="login"><label>Inspector token <input id="token" type="password" autocomplete="off"></label> <button>Open</button></form>';
  document.getElementById("login").onsubmit = async (e) => {
    e.preventDefault();
    const res = await post("session", {}, { "x-inspect-token": document.getElementById("token").value });
    if (res.ok) location.reload(); else document.getElementById("state").textContent = "wrong token";
  };
}
fetch(api("turns")).then(async (r) => {
  if (r.status === 401) return askToken();
  (await r.json()).turns.forEach(add);
  listen();
});
</script>
</body>
</html>
`;
