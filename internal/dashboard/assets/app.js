// The braid dashboard: a single page with hash routes. Every view reads
// the public JSON routes of the HTTP API (see GET /v1/openapi.json); live
// charts come from the server's one sampler, GET /v1/series (history) and
// GET /v1/series/live (one message a second).
import { el, LineChart, drawSegments, segName, hideTip, fmtNum, fmtBytes, fmtByteRate, fmtSeconds, fmtDuration, fmtTime, fmtWhen } from "./chart.js";
// The Queries pages live in queries.js, which imports the helpers exported
// here: the two modules import each other, so neither may use the other's
// bindings while it is first evaluated (queries.js only declares; this
// module routes at its end, once both are evaluated).
import { queriesPage, queryPage } from "./queries.js";

// settings.windowMs is the charts' time window (the toggle in the page
// head), kept across reloads.
const WINDOWS = [["1m", 60000], ["5m", 300000], ["15m", 900000], ["1h", 3600000]];
const settings = { windowMs: +localStorage.getItem("braid-window") || 900000 };
const chartWindow = () => settings.windowMs;

function windowToggle() {
  const box = el("div", { class: "seg-toggle", role: "group", "aria-label": "Chart window", title: "Time shown by the charts" });
  const draw = () => box.replaceChildren(...WINDOWS.map(([label, ms]) => el("button", {
    type: "button", class: ms === settings.windowMs ? "on" : "", text: label,
    onclick: () => { settings.windowMs = ms; localStorage.setItem("braid-window", String(ms)); draw(); for (const fn of store.listeners) fn(); },
  })));
  draw();
  return box;
}

const HOUR = 3600 * 1000;
const SERVER_SERIES = ["append_events_per_second", "append_bytes_per_second", "read_events_per_second", "read_bytes_per_second",
  "fsync_p99_seconds", "errors_per_second", "tier2_backlog_bytes"];
const STREAM_SERIES = ["stream_append_events_per_second", "stream_append_bytes_per_second", "stream_read_bytes_per_second",
  "stream_watermark_seconds", "stream_watermark_lag_seconds", "stream_size_bytes"];

// ---- API ------------------------------------------------------------------

export class APIError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  if (r.status === 401) toLogin();
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!r.ok) throw new APIError(r.status, body?.error?.code, body?.error?.message || `${r.status} ${r.statusText}`);
  return body;
}

// toLogin opens the login page, keeping the page asked for: the session
// ended (the cookie expired, or the token was revoked).
export function toLogin() {
  if (!toLogin.going) {
    toLogin.going = true;
    location.assign("/login" + location.hash);
  }
}

export const enc = encodeURIComponent;
export const streamPath = (name) => name.split("/").map(enc).join("/");

// ---- series store ---------------------------------------------------------

const store = {
  series: new Map(), // key -> {name, unit, scope, stream, points}
  tier2: "unknown",
  last: 0,
  listeners: new Set(),
};

const skey = (name, scope = "", stream = "") => `${name}|${scope}|${stream}`;

function seriesOf(name, scope, stream) {
  return store.series.get(skey(name, scope, stream)) || { name, points: [] };
}

function latest(name, scope, stream) {
  const p = seriesOf(name, scope, stream).points;
  return p.length && store.last - p[p.length - 1][0] < 5000 ? p[p.length - 1][1] : NaN;
}

function trimPoints(points) {
  const cut = Date.now() - HOUR;
  let i = 0;
  while (i < points.length && points[i][0] < cut) i++;
  if (i) points.splice(0, i);
}

// loadHistory merges GET /v1/series into the store.
async function loadHistory(query) {
  const h = await api("/v1/series?" + query);
  for (const s of h.series) {
    const k = skey(s.name, s.scope, s.stream);
    const have = store.series.get(k);
    const newer = have ? have.points.filter((p) => !s.points.length || p[0] > s.points[s.points.length - 1][0]) : [];
    store.series.set(k, { name: s.name, unit: s.unit, scope: s.scope || "", stream: s.stream || "", points: s.points.concat(newer) });
  }
  return h;
}

function connectLive() {
  const state = document.getElementById("live-state");
  const text = document.getElementById("live-text");
  const es = new EventSource("/v1/series/live");
  es.onopen = () => { state.className = "live on"; text.textContent = "live"; };
  es.onerror = () => { state.className = "live off"; text.textContent = "reconnecting"; };
  es.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (!msg.time) return;
    store.tier2 = msg.tier2_state;
    store.last = msg.time;
    for (const p of msg.series) {
      const k = skey(p.name, p.scope, p.stream);
      let s = store.series.get(k);
      if (!s) store.series.set(k, (s = { name: p.name, unit: p.unit, scope: p.scope || "", stream: p.stream || "", points: [] }));
      const pts = s.points;
      if (!pts.length || pts[pts.length - 1][0] < msg.time) pts.push([msg.time, p.value]);
      trimPoints(pts);
    }
    for (const fn of store.listeners) fn();
  };
}

// ---- page helpers ---------------------------------------------------------

export const main = () => document.getElementById("main");

export function head(title, sub, crumbs, right) {
  return el("div", {},
    crumbs ? el("div", { class: "crumbs" }, ...crumbs) : null,
    el("div", { class: "page-head" }, el("h1", { text: title }), sub ? el("span", { class: "sub" }, sub) : null,
      right ? el("span", { class: "spacer" }) : null, right || null));
}

export function tile(label, id, hint) {
  return el("div", { class: "tile" }, el("div", { class: "label", text: label }), el("div", { class: "value", id, text: "–" }),
    hint !== undefined ? el("div", { class: "hint", id: id + "-hint", text: hint }) : null);
}

export function setText(id, text) {
  const e = document.getElementById(id);
  if (e && e.textContent !== text) e.textContent = text;
}

export function badge(text, kind) { return el("span", { class: "badge " + (kind || ""), text }); }

function tier2Badge(state) {
  return badge(state, { healthy: "ok", behind: "warn", failing: "bad" }[state] || "");
}

export function card(title, ...body) { return el("section", { class: "card" }, title ? el("h2", { text: title }) : null, ...body); }

export function chartCard(title, sub) {
  const body = el("div");
  const c = el("section", { class: "card" }, el("div", { class: "chart-head" }, el("h2", { text: title }), sub ? el("span", { class: "muted small", text: sub }) : null), body);
  return { card: c, body };
}

export function notice(text, bad) { return el("div", { class: "notice" + (bad ? " bad" : ""), text }); }

function retentionText(r) {
  if (!r || r.type === "none") return "keep everything";
  if (r.type === "time") return `time: keep ${r.min_time || "0s"}–${r.max_time || "∞"}`;
  if (r.type === "size") return `size: keep ${fmtBytes(r.min_bytes || 0)}–${r.max_bytes ? fmtBytes(r.max_bytes) : "∞"}`;
  return r.type;
}

function scalingText(s) {
  if (!s || s.kind === "fixed") return "fixed";
  return `${s.kind}: target ${fmtNum(s.target)}/s per segment, ×${s.scale_factor || 2}, min ${s.min_segments || 1}`;
}

function streamSize(st) {
  const v = latest("stream_size_bytes", st.scope, st.stream);
  if (!Number.isNaN(v)) return v;
  return (st.segments || []).reduce((a, s) => a + (s.length - s.start_offset), 0);
}

export function table(cols, rows, attrs = {}) {
  return el("div", { class: "table-wrap" }, el("table", attrs,
    el("thead", {}, el("tr", {}, ...cols.map((c) => el("th", { class: c.num ? "num" : "", text: c.label })))),
    el("tbody", {}, ...rows)));
}

export async function listStreams() {
  const { scopes } = await api("/v1/scopes");
  const all = await Promise.all(scopes.map((s) => api(`/v1/streams/${enc(s)}`).then((r) => r.streams).catch(() => [])));
  return all.flat();
}

async function watermarkOf(name) {
  try {
    return await api(`/v1/streams/${streamPath(name)}/watermark`);
  } catch (e) {
    if (e.status === 404 || e.status === 405) return null;
    throw e;
  }
}

// every runs fn now and every ms until the page changes.
export function every(page, ms, fn) {
  let stopped = false;
  const run = async () => {
    try { await fn(); } catch (e) { if (page.onError) page.onError(e); }
  };
  run();
  const id = setInterval(() => { if (!stopped) run(); }, ms);
  page.cleanups.push(() => { stopped = true; clearInterval(id); });
}

function live(page, fn) {
  store.listeners.add(fn);
  page.cleanups.push(() => store.listeners.delete(fn));
  fn();
}

// ---- overview -------------------------------------------------------------

function overview(page) {
  const charts = {
    appends: chartCard("Appends", "events per second, server-wide"),
    bytes: chartCard("Throughput", "bytes per second in and out"),
    fsync: chartCard("WAL fsync p99", "over the last 10 s"),
    errors: chartCard("Errors", "per second"),
    backlog: chartCard("Tier-2 backlog", "committed bytes not yet in tier 2"),
  };
  const facts = el("dl", { class: "facts", id: "server-facts" });
  main().replaceChildren(
    head("Overview", el("span", { id: "version" }), null, windowToggle()),
    el("div", { class: "tiles four" },
      tile("Appends", "t-appends", "events/s"), tile("Bytes in", "t-bytes", "appended"), tile("Bytes out", "t-read", "read"),
      tile("fsync p99", "t-fsync", "last 10 s"), tile("Errors", "t-errors", "per second"),
      el("div", { class: "tile" }, el("div", { class: "label", text: "Tier 2" }), el("div", { class: "value text", id: "t-tier2" }), el("div", { class: "hint", id: "t-backlog" })),
      el("div", { class: "tile" }, el("div", { class: "label", text: "Disk (data dir)" }), el("div", { class: "value", id: "t-disk", text: "–" }),
        el("div", { class: "bar" }, el("span", { id: "t-disk-bar" })), el("div", { class: "hint", id: "t-disk-hint" })),
      tile("Uptime", "t-uptime", "")),
    el("div", { class: "grid cols-2" }, charts.appends.card, charts.bytes.card, charts.fsync.card, charts.errors.card, charts.backlog.card,
      card("Server", facts)));
  const c = {
    appends: new LineChart(charts.appends.body, { unit: "events/s", windowMs: chartWindow }),
    bytes: new LineChart(charts.bytes.body, { unit: "bytes/s", windowMs: chartWindow }),
    fsync: new LineChart(charts.fsync.body, { unit: "seconds", windowMs: chartWindow }),
    errors: new LineChart(charts.errors.body, { unit: "errors/s", windowMs: chartWindow }),
    backlog: new LineChart(charts.backlog.body, { unit: "bytes", windowMs: chartWindow }),
  };
  let info = null;
  const drawInfo = () => {
    if (!info) return;
    const up = info.uptime_seconds + (Date.now() - info._fetched) / 1000;
    setText("t-uptime", fmtDuration(up));
    setText("t-uptime-hint", "since " + fmtWhen(Date.parse(info.started_at)));
  };
  every(page, 5000, async () => {
    info = await api("/v1/server");
    info._fetched = Date.now();
    setText("version", "braid " + info.version);
    const used = info.disk_total_bytes !== undefined ? info.disk_total_bytes - info.disk_free_bytes : NaN;
    setText("t-disk", Number.isNaN(used) ? "unknown" : fmtBytes(used));
    setText("t-disk-hint", Number.isNaN(used) ? "" : `of ${fmtBytes(info.disk_total_bytes)}, ${fmtBytes(info.disk_free_bytes)} free`);
    const bar = document.getElementById("t-disk-bar");
    if (bar && !Number.isNaN(used)) bar.style.width = ((100 * used) / info.disk_total_bytes).toFixed(1) + "%";
    const rows = [
      ["Version", info.version], ["Started", fmtTime(Date.parse(info.started_at), true)], ["Data directory", info.data_dir],
      ["fsync", info.fsync_mode === "always" ? "always (before every acknowledgement)" : info.fsync_mode],
      ["Containers", String(info.containers)], ["Tier 2", `${info.tier2_kind}: ${info.tier2_location}`],
    ];
    facts.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { class: k === "Data directory" || k === "Tier 2" ? "mono" : "", text: v })]));
    drawInfo();
  });
  live(page, () => {
    const v = (n) => latest(n);
    setText("t-appends", fmtNum(v("append_events_per_second")));
    setText("t-bytes", fmtByteRate(v("append_bytes_per_second")));
    setText("t-read", fmtByteRate(v("read_bytes_per_second")));
    setText("t-fsync", fmtSeconds(v("fsync_p99_seconds")));
    setText("t-errors", fmtNum(v("errors_per_second")));
    const t2 = document.getElementById("t-tier2");
    if (t2 && t2.dataset.state !== store.tier2) { t2.dataset.state = store.tier2; t2.replaceChildren(tier2Badge(store.tier2)); }
    setText("t-backlog", "backlog " + fmtBytes(v("tier2_backlog_bytes")));
    drawInfo();
    const S = (name, label, color) => ({ label, color, points: seriesOf(name).points });
    c.appends.set([S("append_events_per_second", "appended", "var(--c1)"), S("read_events_per_second", "read", "var(--c3)")]);
    c.bytes.set([S("append_bytes_per_second", "in", "var(--c1)"), S("read_bytes_per_second", "out", "var(--c3)")]);
    c.fsync.set([S("fsync_p99_seconds", "p99", "var(--c2)")]);
    c.errors.set([S("errors_per_second", "errors", "var(--c4)")]);
    c.backlog.set([S("tier2_backlog_bytes", "backlog", "var(--c2)")]);
  });
}

// ---- streams --------------------------------------------------------------

function streamsPage(page) {
  const body = el("div", { id: "streams-body" }, el("p", { class: "muted", text: "Loading streams…" }));
  main().replaceChildren(head("Streams", "every stream of every scope"), el("section", { class: "card flush" }, body));
  let streams = [];
  let wms = new Map();
  // Bytes in per second from the segments' lengths, where the server has
  // no per-stream append metric.
  const lengths = new Map();
  const inRate = (st) => {
    const v = latest("stream_append_bytes_per_second", st.scope, st.stream);
    return Number.isNaN(v) ? (lengths.get(st.name) || {}).rate ?? NaN : v;
  };
  const draw = () => {
    if (!streams.length) {
      body.replaceChildren(el("div", { class: "notice", text: "No streams yet. Create one with `braid stream create SCOPE/NAME` or PUT /v1/streams/{scope}/{stream}." }));
      return;
    }
    const cols = [{ label: "Stream" }, { label: "State" }, { label: "Segments", num: true }, { label: "Size", num: true },
      { label: "In events/s", num: true }, { label: "In", num: true }, { label: "Out", num: true },
      { label: "Watermark" }, { label: "Lag", num: true }, { label: "Retention" }];
    const rows = streams.map((st) => {
      const wm = wms.get(st.name);
      let wmText = "no watermark yet", lag = latest("stream_watermark_lag_seconds", st.scope, st.stream);
      const wmv = latest("stream_watermark_seconds", st.scope, st.stream);
      if (wm && wm.watermark) { wmText = fmtWhen(Date.parse(wm.watermark)); if (Number.isNaN(lag)) lag = wm.lag_seconds; }
      else if (!Number.isNaN(wmv)) wmText = fmtWhen(wmv * 1000);
      return el("tr", { "data-stream": st.name },
        el("td", {}, el("a", { href: `#/streams/${streamPath(st.name)}`, text: st.name })),
        el("td", {}, st.sealed ? badge("sealed") : badge("active", "ok")),
        el("td", { class: "num", text: String(st.segments.length) }),
        el("td", { class: "num", text: fmtBytes(streamSize(st)) }),
        el("td", { class: "num", text: fmtNum(latest("stream_append_events_per_second", st.scope, st.stream)) }),
        el("td", { class: "num", text: fmtByteRate(inRate(st)) }),
        el("td", { class: "num", text: fmtByteRate(latest("stream_read_bytes_per_second", st.scope, st.stream)) }),
        el("td", { text: wmText }),
        el("td", { class: "num", text: fmtSeconds(lag) }),
        el("td", { text: retentionText(st.retention) }));
    });
    body.replaceChildren(table(cols, rows, { id: "streams-table" }));
  };
  page.onError = (e) => body.replaceChildren(notice("Could not list streams: " + e.message, true));
  every(page, 3000, async () => {
    streams = await listStreams();
    const now = Date.now();
    for (const st of streams) {
      const total = st.segments.reduce((a, s) => a + s.length, 0);
      const p = lengths.get(st.name);
      // A scale moves the current segments: skip the rate then.
      const rate = p && now > p.t && total >= p.total ? ((total - p.total) * 1000) / (now - p.t) : NaN;
      lengths.set(st.name, { total, t: now, rate });
    }
    const got = await Promise.all(streams.map((s) => watermarkOf(s.name).catch(() => null)));
    wms = new Map(streams.map((s, i) => [s.name, got[i]]));
    draw();
  });
  live(page, () => { if (streams.length) draw(); });
}

// ---- stream detail --------------------------------------------------------

function streamPage(page, name) {
  const [scope, stream] = name.split("/");
  const diagram = el("div", { class: "diagram", id: "segments" }, el("p", { class: "muted", text: "Loading…" }));
  const tp = chartCard("Throughput", "bytes per second"), ev = chartCard("Events in", "per second");
  const wl = chartCard("Watermark lag", "now minus the watermark"), wv = chartCard("Watermark", "the stream's event time");
  const writers = el("div", { id: "writers" });
  const facts = el("dl", { class: "facts", id: "stream-facts" });
  main().replaceChildren(
    head(name, el("span", { id: "stream-state" }), [el("a", { href: "#/streams", text: "Streams" }), " / ", name], windowToggle()),
    el("div", { class: "tiles four" }, tile("Segments", "s-segments", ""), tile("Size", "s-size", ""),
      tile("In", "s-in", ""), tile("Out", "s-out", "read"), tile("Epochs", "s-epochs", ""), tile("Retention", "s-retention", ""),
      tile("Watermark", "s-wm", ""), tile("Watermark lag", "s-lag", "")),
    card("Segments over the key space", el("div", { class: "legend" },
      el("span", { class: "key" }, el("span", { class: "sw sw-active" }), "active"), el("span", { class: "key" }, el("span", { class: "sw sw-sealed" }), "sealed"),
      el("span", { class: "key", text: "x: epochs (created at), y: routing key in [0,1); hover a segment for its id, length and rate" })), diagram),
    el("div", { class: "grid cols-2 section" }, tp.card, ev.card, wl.card, wv.card),
    el("div", { class: "grid cols-2 section" }, card("Writers", writers), card("Retention and truncation", facts)),
  );
  const c = {
    tp: new LineChart(tp.body, { unit: "bytes/s", windowMs: chartWindow, empty: "no per-stream throughput metrics yet" }),
    ev: new LineChart(ev.body, { unit: "events/s", windowMs: chartWindow, empty: "no per-stream throughput metrics yet" }),
    wl: new LineChart(wl.body, { unit: "seconds", windowMs: chartWindow, empty: "no watermark yet" }),
    wv: new LineChart(wv.body, { unit: "unix seconds", windowMs: chartWindow, min0: false, empty: "no watermark yet" }),
  };
  let info = null, wm = null, headCut = null, tailCut = null;
  const prevLen = new Map();
  let rates = {};
  page.onError = (e) => diagram.replaceChildren(notice(e.status === 404 ? `No stream ${name}.` : "Could not read the stream: " + e.message, true));
  const drawFacts = () => {
    if (!info) return;
    const rows = [["Created", fmtWhen(Date.parse(info.created))], ["Retention", retentionText(info.retention)], ["Scaling", scalingText(info.scaling)],
      ["Truncation point", headCut ? headCut.cut : "–"],
      ["Truncated before", headCut ? headCut.segments.filter((s) => s.offset > 0).map((s) => `${segName(s.segment)} @ ${fmtBytes(s.offset)}`).join(", ") || "nothing truncated" : "–"],
      ["Tail", tailCut ? tailCut.cut : "–"]];
    facts.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { class: k === "Truncation point" || k === "Tail" ? "mono" : "", text: v })]),
      el("dt", { text: "Events" }), el("dd", {}, el("a", { href: `#/events?stream=${enc(name)}`, text: "browse this stream's events" })));
  };
  const drawWriters = () => {
    if (!wm) { writers.replaceChildren(el("div", { class: "notice", id: "no-watermark", text: "no watermark yet: no writer of this stream has noted a time" })); return; }
    const ws = wm.writers || [];
    writers.replaceChildren(
      el("dl", { class: "facts" }, el("dt", { text: "Watermark" }), el("dd", { id: "watermark-value", text: wm.watermark ? fmtWhen(Date.parse(wm.watermark)) : "none yet" }),
        el("dt", { text: "Lag" }), el("dd", { text: fmtSeconds(wm.lag_seconds) }),
        el("dt", { text: "Writer timeout" }), el("dd", { text: wm.timeout_ms !== undefined ? fmtSeconds(wm.timeout_ms / 1000) : "–" })),
      ws.length ? el("div", { class: "section" }, table([{ label: "Writer" }, { label: "Last noted time" }, { label: "Reported" }, { label: "State" }],
        ws.map((w) => el("tr", {}, el("td", { class: "mono", title: w.writer, text: w.writer.length > 14 ? w.writer.slice(0, 12) + "…" : w.writer }), el("td", { text: fmtWhen(Date.parse(w.time)) }),
          el("td", { text: fmtWhen(Date.parse(w.reported_at)) }), el("td", {}, w.active ? badge("active", "ok") : badge("inactive")))))) : el("p", { class: "muted", text: "No writer has noted a time." }));
  };
  every(page, 2000, async () => {
    const now = Date.now();
    info = await api(`/v1/streams/${streamPath(name)}`);
    rates = {};
    for (const s of info.segments) {
      const p = prevLen.get(s.id);
      if (p && now > p.t) rates[s.id] = Math.max(0, ((s.length - p.len) * 1000) / (now - p.t));
      prevLen.set(s.id, { len: s.length, t: now });
    }
    drawSegments(diagram, info, rates);
    const st = document.getElementById("stream-state");
    st.replaceChildren(info.sealed ? badge("sealed") : badge("active", "ok"), " created " + fmtWhen(Date.parse(info.created)));
    setText("s-segments", String(info.segments.length));
    setText("s-segments-hint", "current epoch");
    setText("s-epochs", String(info.epochs.length));
    setText("s-epochs-hint", "latest " + info.epochs[info.epochs.length - 1].epoch);
    setText("s-size", fmtBytes(streamSize(info)));
    setText("s-retention", info.retention ? info.retention.type : "none");
    setText("s-retention-hint", retentionText(info.retention));
    [headCut, tailCut, wm] = await Promise.all([api(`/v1/streams/${streamPath(name)}/cuts/head`).catch(() => null),
      api(`/v1/streams/${streamPath(name)}/cuts/tail`).catch(() => null), watermarkOf(name).catch(() => null)]);
    drawFacts();
    drawWriters();
    updateWatermarkTiles();
  });
  const updateWatermarkTiles = () => {
    const wmv = latest("stream_watermark_seconds", scope, stream);
    if (wm && wm.watermark) setText("s-wm", fmtTime(Date.parse(wm.watermark)));
    else if (!Number.isNaN(wmv)) setText("s-wm", fmtTime(wmv * 1000));
    else setText("s-wm", "none yet");
    let lag = latest("stream_watermark_lag_seconds", scope, stream);
    if (Number.isNaN(lag) && wm) lag = wm.lag_seconds;
    setText("s-lag", fmtSeconds(lag));
  };
  loadHistory(`names=${STREAM_SERIES.join(",")}&scope=${enc(scope)}&stream=${enc(stream)}`).catch(() => {});
  live(page, () => {
    const S = (n, label, color) => ({ label, color, points: seriesOf(n, scope, stream).points });
    const inBytes = latest("stream_append_bytes_per_second", scope, stream);
    if (Number.isNaN(inBytes) && Object.keys(rates).length) {
      setText("s-in", fmtByteRate(Object.values(rates).reduce((a, v) => a + v, 0)));
      setText("s-in-hint", "from segment lengths");
    } else {
      setText("s-in", fmtByteRate(inBytes));
      setText("s-in-hint", fmtNum(latest("stream_append_events_per_second", scope, stream)) + " events/s");
    }
    setText("s-out", fmtByteRate(latest("stream_read_bytes_per_second", scope, stream)));
    updateWatermarkTiles();
    c.tp.set([S("stream_append_bytes_per_second", "in", "var(--c1)"), S("stream_read_bytes_per_second", "out", "var(--c3)")]);
    c.ev.set([S("stream_append_events_per_second", "appended", "var(--c1)")]);
    c.wl.set([S("stream_watermark_lag_seconds", "lag", "var(--c2)")]);
    c.wv.set([S("stream_watermark_seconds", "watermark", "var(--c4)")]);
  });
}

// ---- reader groups --------------------------------------------------------

async function listGroups() {
  const { scopes } = await api("/v1/scopes");
  const all = await Promise.all(scopes.map((s) => api(`/v1/groups/${enc(s)}`).then((r) => r.groups || []).catch(() => [])));
  return all.flat();
}

function groupsPage(page) {
  const body = el("div", {}, el("p", { class: "muted", text: "Loading groups…" }));
  main().replaceChildren(head("Reader groups", "readers sharing the segments of their streams"), el("section", { class: "card flush" }, body));
  page.onError = (e) => body.replaceChildren(notice("Could not list groups: " + e.message, true));
  every(page, 3000, async () => {
    const groups = await listGroups();
    if (!groups.length) {
      body.replaceChildren(notice("No reader groups yet. Create one with `braid group create` or PUT /v1/groups/{scope}/{group}."));
      return;
    }
    body.replaceChildren(table([{ label: "Group" }, { label: "Streams" }, { label: "Readers", num: true }, { label: "Lag (bytes)", num: true }, { label: "Lag (events)", num: true }, { label: "State" }],
      groups.map((g) => el("tr", { "data-group": g.name },
        el("td", {}, el("a", { href: `#/groups/${streamPath(g.name)}`, text: g.name })),
        el("td", { text: g.config.streams.map((s) => s.stream).join(", ") }),
        el("td", { class: "num", text: String(g.readers.length) }),
        el("td", { class: "num", text: fmtBytes(g.lag_bytes) }),
        el("td", { class: "num", text: g.lag_events >= 0 ? fmtNum(g.lag_events, 0) : "unknown" }),
        el("td", {}, g.finished ? badge("finished") : badge("reading", "ok"))))));
  });
}

// ---- cluster --------------------------------------------------------------

function clusterPage(page) {
  const nodes = el("div", {}, el("p", { class: "muted", text: "Loading…" }));
  const containers = el("div", {});
  main().replaceChildren(head("Cluster", "nodes, and who owns which container under which owner epoch"),
    card("Nodes", nodes), card("Containers", containers));
  page.onError = (e) => nodes.replaceChildren(notice("Could not read the cluster: " + e.message, true));
  every(page, 2000, async () => {
    const v = await api("/v1/cluster");
    if (!v.enabled) {
      nodes.replaceChildren(notice("This server runs alone: start nodes with braid serve --cluster etcd://HOST:PORT to see a cluster here (docs/cluster.md)."));
      containers.replaceChildren();
      return;
    }
    const owned = {};
    for (const c of v.containers) owned[c.owner] = (owned[c.owner] || 0) + 1;
    nodes.replaceChildren(table([{ label: "Node" }, { label: "gRPC" }, { label: "Dashboard" }, { label: "Containers", num: true }, { label: "Role" }],
      (v.nodes || []).map((n) => el("tr", { "data-node": n.id },
        el("td", { class: "mono", text: n.id + (n.id === v.self ? " (this node)" : "") }),
        el("td", { class: "mono", text: n.grpc }),
        el("td", {}, n.http ? el("a", { href: `http://${n.http}/#/cluster`, text: n.http }) : el("span", { text: "" })),
        el("td", { class: "num", text: String(owned[n.id] || 0) }),
        el("td", {}, n.id === v.leader ? badge("leader", "accent") : badge("member"))))));
    containers.replaceChildren(table([{ label: "Container", num: true }, { label: "Owner" }, { label: "Epoch", num: true }, { label: "State" }],
      v.containers.map((c) => el("tr", { "data-container": String(c.id) },
        el("td", { class: "num", text: String(c.id) }),
        el("td", { class: "mono", text: c.owner || "none" }),
        el("td", { class: "num", text: String(c.epoch) }),
        el("td", {}, !c.owner ? badge("unassigned", "warn") : c.live ? badge("owned", "ok") : badge("owner gone: moving", "warn"))))));
  });
}

// timeWindow finds a stream's time window in a group description, where
// the server gives one ({lower, upper} RFC 3339).
function timeWindow(g, stream) {
  const fromList = (list) => (list || []).find((s) => s.stream === stream);
  const s = fromList(g.streams) || fromList(g.config.streams) || {};
  const window = s.time_window || (g.time_windows || {})[stream] || null;
  // The window's lower bound is the group's watermark on the stream.
  return { window, watermark: s.watermark || (window && window.lower) || null };
}

function groupPage(page, name) {
  const readers = el("div"), streams = el("div"), segs = el("div"), cps = el("div");
  main().replaceChildren(
    head(name, el("span", { id: "group-state" }), [el("a", { href: "#/groups", text: "Reader groups" }), " / ", name]),
    el("div", { class: "tiles" }, tile("Readers", "g-readers"), tile("Segments", "g-segments"), tile("Lag", "g-lag", ""), tile("Lag (events)", "g-lag-events"), tile("Generation", "g-gen", "resets")),
    card("Readers", readers),
    el("div", { class: "section" }, card("Streams and time windows", streams)),
    el("div", { class: "section" }, card("Segments", segs)),
    el("div", { class: "section" }, card("Checkpoints", cps)));
  page.onError = (e) => readers.replaceChildren(notice(e.status === 404 ? `No group ${name}.` : "Could not read the group: " + e.message, true));
  every(page, 2000, async () => {
    const g = await api(`/v1/groups/${streamPath(name)}`);
    document.getElementById("group-state").replaceChildren(g.finished ? badge("finished") : badge("reading", "ok"), ` created ${fmtWhen(Date.parse(g.created))}`);
    setText("g-readers", String(g.readers.length));
    setText("g-segments", String(g.segments.length));
    setText("g-lag", fmtBytes(g.lag_bytes));
    setText("g-lag-events", g.lag_events >= 0 ? fmtNum(g.lag_events, 0) : "unknown");
    setText("g-gen", String(g.generation));
    const bySeg = new Map(g.segments.map((s) => [s.stream + "#" + s.id, s]));
    const windows = new Map(g.config.streams.map((s) => [s.stream, timeWindow(g, s.stream)]));
    const lagSeconds = (segments) => {
      let worst = NaN;
      for (const s of segments) {
        const w = windows.get(s.stream)?.window;
        if (w && w.lower) {
          const v = (Date.now() - Date.parse(w.lower)) / 1000;
          if (Number.isNaN(worst) || v > worst) worst = v;
        }
      }
      return worst;
    };
    readers.replaceChildren(g.readers.length ? table([{ label: "Reader" }, { label: "Segments owned" }, { label: "Lag (bytes)", num: true }, { label: "Lag (events)", num: true }, { label: "Lag (seconds)", num: true }, { label: "Last seen" }],
      g.readers.map((r) => {
        const owned = g.segments.filter((s) => s.reader === r.id);
        const bytes = owned.reduce((a, s) => a + s.lag, 0);
        return el("tr", { "data-reader": r.id }, el("td", { class: "mono", text: r.id }),
          el("td", { text: owned.map((s) => `${s.stream}:${segName(s.id)}`).join(", ") || "none" }),
          el("td", { class: "num", text: fmtBytes(bytes) }),
          el("td", { class: "num", text: g.readers.length === 1 && g.lag_events >= 0 ? fmtNum(g.lag_events, 0) : "–" }),
          el("td", { class: "num", text: fmtSeconds(lagSeconds(owned)) }),
          el("td", { text: fmtWhen(Date.parse(r.last_seen)) }));
      })) : notice("No reader is in the group now."));
    streams.replaceChildren(table([{ label: "Stream" }, { label: "From" }, { label: "To" }, { label: "Watermark" }, { label: "Time window" }],
      g.config.streams.map((s) => {
        const tw = windows.get(s.stream);
        const w = tw.window;
        return el("tr", {}, el("td", {}, el("a", { href: `#/streams/${streamPath(s.stream)}`, text: s.stream })),
          el("td", { class: "mono", text: s.from }), el("td", { class: "mono", text: s.to }),
          el("td", { text: tw.watermark ? fmtWhen(Date.parse(tw.watermark)) : "no watermark yet" }),
          el("td", { text: w ? `${w.lower ? fmtWhen(Date.parse(w.lower)) : "the head"} … ${w.upper ? fmtWhen(Date.parse(w.upper)) : "no upper bound"}` : "–" }));
      })));
    cps.replaceChildren(g.checkpoints.length ? table([{ label: "Checkpoint" }, { label: "Created" }, { label: "Cuts" }],
      g.checkpoints.map((c) => el("tr", {}, el("td", { text: c.name }), el("td", { text: fmtWhen(Date.parse(c.created)) }),
        el("td", { class: "mono", text: Object.entries(c.cuts).map(([k, v]) => `${k}: ${v}`).join("\n") })))) : el("p", { class: "muted", text: "No checkpoints." }));
    segs.replaceChildren(table([{ label: "Segment" }, { label: "Keys" }, { label: "Offset", num: true }, { label: "Tail", num: true }, { label: "Lag", num: true }, { label: "Reader" }],
      [...bySeg.values()].map((s) => el("tr", {}, el("td", { class: "mono", title: `${s.stream} segment ${s.id}`, text: `${s.stream}:${segName(s.id)}` }),
        el("td", { class: "nowrap", text: `[${s.key_low}, ${s.key_high})` }), el("td", { class: "num", text: fmtBytes(s.offset) }), el("td", { class: "num", text: fmtBytes(s.tail) }),
        el("td", { class: "num", text: fmtBytes(s.lag) }), el("td", { class: "mono", text: s.reader || "unassigned" })))));
  });
}

// ---- exports --------------------------------------------------------------

// goSeconds parses a Go duration ("1m2.5s", "350ms") into seconds (NaN
// for null or text that is not one).
function goSeconds(d) {
  if (typeof d !== "string" || d === "") return NaN;
  if (d === "0s") return 0;
  const units = { h: 3600, m: 60, s: 1, ms: 1e-3, "µs": 1e-6, "μs": 1e-6, us: 1e-6, ns: 1e-9 };
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|µs|μs|us|ns)/g;
  let total = 0, seen = "", m;
  while ((m = re.exec(d))) { total += parseFloat(m[1]) * units[m[2]]; seen += m[0]; }
  const sign = d.startsWith("-") ? -1 : 1;
  return seen === d.replace(/^-/, "") ? sign * total : NaN;
}

const EXPORT_STATES = { running: "ok", retrying: "warn", stopped: "", finished: "accent" };

function exportCount(n) { return n < 100000 ? String(n) : fmtNum(n); }

function exportsPage(page) {
  const body = el("div", { id: "exports-body" }, el("p", { class: "muted", text: "Loading export jobs…" }));
  main().replaceChildren(head("Exports", "streams the server copies to S3, following them as they grow"),
    el("div", { class: "tiles four" }, tile("Jobs", "x-jobs"), tile("Running", "x-running"), tile("Retrying", "x-retrying", ""),
      tile("Not exported", "x-lag", "all jobs' lag")),
    el("section", { class: "card flush" }, body));
  page.onError = (e) => body.replaceChildren(notice("Could not list export jobs: " + e.message, true));
  every(page, 3000, async () => {
    const { exports } = await api("/v1/exports");
    const by = (st) => exports.filter((j) => j.state === st).length;
    setText("x-jobs", String(exports.length));
    setText("x-running", String(by("running")));
    setText("x-retrying", String(by("retrying")));
    setText("x-retrying-hint", by("retrying") ? "see the last error below" : "");
    // Before a job's first progress the server knows no lag (it says 0).
    const lagKnown = (j) => j.position !== "" || j.lag !== null;
    const unknown = exports.filter((j) => !lagKnown(j)).length;
    setText("x-lag", fmtBytes(exports.filter(lagKnown).reduce((a, j) => a + Math.max(j.lag_bytes, 0), 0)));
    setText("x-lag-hint", unknown ? `all jobs' lag; ${unknown} not known yet` : "all jobs' lag");
    if (!exports.length) {
      body.replaceChildren(el("div", { class: "notice", id: "exports-empty" },
        el("div", { text: "No export jobs yet. Have the server export a stream to S3, following it as it grows:" }),
        el("code", { class: "command", text: "braid export s3://BUCKET/PREFIX --stream SCOPE/STREAM --follow --detach" }),
        el("div", { text: "(or POST /v1/exports). The job runs on the server, across restarts, with the server's S3 credentials; braid export list shows it too." })));
      return;
    }
    const cols = [{ label: "Job" }, { label: "Stream" }, { label: "Destination" }, { label: "State" }, { label: "Objects", num: true },
      { label: "Bytes", num: true }, { label: "Lag", num: true }, { label: "S3 errors", num: true }];
    const rows = exports.flatMap((j) => {
      const mode = j.mode === "batch" ? `batch: ${fmtBytes(j.batch_bytes)} or ${j.batch_age}` : "one object per event";
      const lagEvents = j.lag_events === null ? "events unknown" : `≈${exportCount(j.lag_events)} events`;
      const lagTime = j.lag === null ? "time unknown" : goSeconds(j.lag) === 0 ? "caught up" : fmtSeconds(goSeconds(j.lag)) + " behind";
      const row = el("tr", { "data-export": j.name, class: j.state === "retrying" ? "retrying" : "" },
        el("td", { class: "nowrap", title: `created ${fmtWhen(Date.parse(j.created))}; position ${j.position || "the start"}` }, el("span", { class: "mono", text: j.name })),
        el("td", {}, el("a", { href: `#/streams/${streamPath(j.stream)}`, text: j.stream })),
        el("td", {}, el("div", { class: "mono", text: j.url }),
          el("div", { class: "muted small", text: (j.s3_endpoint ? j.s3_endpoint + " · " : "") + mode + ` · ${j.parallel} in flight` })),
        el("td", { class: "state", "data-state": j.state }, badge(j.state, EXPORT_STATES[j.state])),
        el("td", { class: "num", title: `${j.existing} found already written`, text: exportCount(j.objects) }),
        el("td", { class: "num", text: fmtBytes(j.bytes) }),
        el("td", { class: "num lag", title: "the stream's data not exported yet; how long ago the last exported event was appended" },
          el("div", { class: "lag-bytes", text: lagKnown(j) ? fmtBytes(Math.max(j.lag_bytes, 0)) : "bytes unknown" }),
          el("div", { class: "muted small lag-events", text: lagEvents }), el("div", { class: "muted small lag-time", text: lagTime })),
        el("td", { class: "num", title: "S3 requests that failed, and those throttled (all retried), since the server started" },
          el("div", { class: "s3-errors" + (j.s3_errors ? " warn-text" : ""), text: exportCount(j.s3_errors) }),
          el("div", { class: "muted small s3-throttled" + (j.s3_throttled ? " warn-text" : ""), text: `${exportCount(j.s3_throttled)} throttled` })));
      if (j.state !== "retrying" || !j.last_error) return [row];
      const when = j.last_error_at ? fmtWhen(Date.parse(j.last_error_at)) : "";
      return [row, el("tr", { class: "error-row retrying", "data-export-error": j.name },
        el("td", { colspan: String(cols.length) }, el("span", { class: "label", text: `last error${when ? " at " + when : ""}: ` }), el("span", { class: "last-error", text: j.last_error })))];
    });
    body.replaceChildren(table(cols, rows, { id: "exports-table" }));
  });
}

// ---- ephemeral --------------------------------------------------------------

const EPHEMERAL_STATES = { live: "ok", deleting: "warn" };
// The cleanup log rows the page keeps (newest first).
const CLEANUP_ROWS = 200;

const ephemeralName = (e) => (e.kind === "stream" ? `${e.scope}/${e.stream}` : e.scope);

// timeLeft is a holder's lease left, from the server's expires_in.
function timeLeft(h) {
  const s = goSeconds(h.expires_in);
  if (Number.isNaN(s)) return h.expires_in || "–";
  return s <= 0 ? "lease ran out" : fmtSeconds(s) + " left";
}

function ephemeralPage(page) {
  const body = el("div", { id: "ephemeral-body" }, el("p", { class: "muted", text: "Loading ephemeral streams…" }));
  const logBody = el("div", { id: "cleanup-body" }, el("p", { class: "muted", text: "Loading the cleanup log…" }));
  main().replaceChildren(head("Ephemeral", "streams and scopes that live while they have holders"),
    el("div", { class: "tiles four" }, tile("Streams", "e-streams"), tile("Scopes", "e-scopes"), tile("Holders", "e-holders"),
      tile("Deleting", "e-deleting", "no holder left")),
    el("section", { class: "card flush" }, body),
    el("div", { class: "section" }, el("section", { class: "card flush", id: "cleanup-card" },
      el("div", { class: "chart-head" }, el("h2", { text: "Cleanup log" }),
        el("span", { class: "muted small", text: "what the server deleted by itself, newest first" })), logBody)));

  every(page, 2000, async () => {
    let list;
    try {
      list = (await api("/v1/ephemeral")).ephemeral;
    } catch (e) {
      body.replaceChildren(notice("Could not list ephemeral streams: " + e.message, true));
      return;
    }
    setText("e-streams", String(list.filter((e) => e.kind === "stream").length));
    setText("e-scopes", String(list.filter((e) => e.kind === "scope").length));
    setText("e-holders", String(list.reduce((a, e) => a + e.holders.length, 0)));
    setText("e-deleting", String(list.filter((e) => e.state === "deleting" || !e.holders.length).length));
    if (!list.length) {
      body.replaceChildren(el("div", { class: "notice", id: "ephemeral-empty" },
        el("div", { text: "No ephemeral streams or scopes. Hold one from a shell (it lives until the hold ends, then the server deletes it):" }),
        el("code", { class: "command", text: "braid ephemeral hold SCOPE/STREAM --lease 30s" }),
        el("div", { text: "(or Client.EphemeralStream in Go, or POST /v1/ephemeral/streams/{scope}/{stream} with keep-alives)." })));
      return;
    }
    const cols = [{ label: "Name" }, { label: "Kind" }, { label: "State" }, { label: "Owner" }, { label: "Holders", num: true },
      { label: "Grace" }, { label: "Leases" }];
    const rows = list.map((e) => {
      const name = ephemeralName(e);
      const leases = e.holders.length
        ? e.holders.map((h) => el("div", { class: "holder", "data-holder": h.name, title: `holder ${h.id}, attached ${fmtWhen(Date.parse(h.attached))}` },
          el("span", { class: "mono holder-name", text: h.name }),
          el("span", { class: "muted small", text: ` · lease ${h.lease} · ` }),
          el("span", { class: "small time-left" + (goSeconds(h.expires_in) <= 0 ? " warn-text" : ""), text: timeLeft(h) })))
        : [el("span", { class: "muted small", text: e.empty_since ? `no holder since ${fmtWhen(Date.parse(e.empty_since))}; deleted after the grace` : "no holder" })];
      return el("tr", { "data-ephemeral": name, "data-kind": e.kind, class: e.holders.length ? "" : "retrying" },
        el("td", { class: "nowrap", title: `created ${fmtWhen(Date.parse(e.created))}` },
          e.kind === "stream" && e.state === "live" ? el("a", { href: `#/streams/${streamPath(name)}`, text: name }) : el("span", { text: name })),
        el("td", { class: "kind", text: e.kind }),
        el("td", { class: "state", "data-state": e.state }, badge(e.state, EPHEMERAL_STATES[e.state])),
        el("td", { class: "mono owner", text: e.owner }),
        el("td", { class: "num holders", text: String(e.holders.length) }),
        el("td", { class: "grace", text: e.grace }),
        el("td", { class: "leases" }, ...leases));
    });
    body.replaceChildren(table(cols, rows, { id: "ephemeral-table" }));
  });

  // The log is read on from where the last refresh ended (next), a page
  // of up to 1000 at a time; the page keeps the newest CLEANUP_ROWS.
  let log = [];
  let next = 0;
  let busy = false;
  every(page, 2000, async () => {
    if (busy) return;
    busy = true;
    try {
      for (let pages = 0; pages < 20; pages++) {
        const res = await api(`/v1/cleanup-log?from=${next}&limit=1000`);
        log = log.concat(res.entries).slice(-CLEANUP_ROWS);
        next = res.next;
        if (res.entries.length < 1000) break;
      }
    } catch (e) {
      logBody.replaceChildren(notice("Could not read the cleanup log: " + e.message, true));
      return;
    } finally {
      busy = false;
    }
    if (!log.length) {
      logBody.replaceChildren(el("p", { class: "muted empty", id: "cleanup-empty", text: "Nothing cleaned up yet: deletions the server makes by itself (ephemeral streams and scopes whose holders went, streams braid gc collected) show here." }));
      return;
    }
    const cols = [{ label: "Time" }, { label: "Kind" }, { label: "Name" }, { label: "Rule" }, { label: "Reason" }];
    const rows = log.slice().reverse().map((x) => el("tr", { "data-cleanup": String(x.offset), "data-name": x.name },
      el("td", { class: "nowrap", title: fmtTime(Date.parse(x.time), true), text: fmtWhen(Date.parse(x.time)) }),
      el("td", { class: "kind", text: x.kind }),
      el("td", { class: "mono name", title: x.action, text: x.name }),
      el("td", { class: "rule" }, badge(x.rule, x.rule === "ephemeral" ? "accent" : "")),
      el("td", { class: "reason", text: x.reason })));
    logBody.replaceChildren(table(cols, rows, { id: "cleanup-table" }));
  });
}

// ---- event browser --------------------------------------------------------

function b64bytes(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function payloadBytes(ev) {
  return ev.data !== undefined ? new TextEncoder().encode(ev.data) : b64bytes(ev.data_base64);
}

function hexDump(bytes, max = 512) {
  const lines = [];
  for (let off = 0; off < Math.min(bytes.length, max); off += 16) {
    const row = bytes.slice(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const asc = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join("");
    lines.push(off.toString(16).padStart(6, "0") + "  " + hex.padEnd(48) + " " + asc);
  }
  if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes`);
  return lines.join("\n");
}

function showPayload(ev, mode) {
  if (mode === "hex") return hexDump(payloadBytes(ev));
  if (ev.data === undefined) return "(binary: " + payloadBytes(ev).length + " bytes; see hex)";
  if (mode === "json") {
    try { return JSON.stringify(JSON.parse(ev.data), null, 2); } catch { return ev.data + "\n(not JSON)"; }
  }
  return ev.data.length > 4096 ? ev.data.slice(0, 4096) + "…" : ev.data;
}

// parsePointer reads <segment:16 hex>-<offset:16 hex>-<length:8 hex>.
function parsePointer(p) {
  const m = /^([0-9a-f]{16})-([0-9a-f]{16})-([0-9a-f]{8})$/.exec(p);
  if (!m) return null;
  return { segment: BigInt("0x" + m[1]).toString(), offset: Number(BigInt("0x" + m[2])), length: parseInt(m[3], 16) };
}

function eventsPage(page, params) {
  let mode = params.get("view") || "text";
  const sel = el("select", { id: "ev-stream", "aria-label": "Stream" });
  const kind = el("select", { id: "ev-kind", "aria-label": "Start at" },
    ...[["head", "head"], ["tail", "tail"], ["cut", "stream cut"], ["pointer", "event pointer"], ["time", "time"]].map(([v, t]) => el("option", { value: v, text: t })));
  const value = el("input", { id: "ev-value", placeholder: "v1.… cut, pointer or 2026-01-02T15:04:05Z", spellcheck: "false" });
  const limit = el("input", { id: "ev-limit", type: "number", min: "1", max: "1000", value: params.get("limit") || "20" });
  const go = el("button", { class: "btn primary", id: "ev-go", type: "submit", text: "Read" });
  const views = el("div", { class: "seg-toggle", role: "group", "aria-label": "Payload view" });
  const out = el("div", { id: "ev-results" });
  const form = el("form", { class: "form-row", id: "ev-form" },
    el("label", {}, "Stream", sel), el("label", {}, "Start at", kind), el("label", { class: "grow" }, "Cut, pointer or time", value),
    el("label", {}, "Events", limit), go);
  main().replaceChildren(head("Event browser", "seek by pointer, stream cut or time"), card(null, form, el("div", { class: "toolbar" }, el("span", { class: "muted small", text: "Payload:" }), views)), el("div", { class: "section" }, out));
  const drawViews = () => views.replaceChildren(...["text", "json", "hex"].map((m) => el("button", { type: "button", class: m === mode ? "on" : "", text: m === "json" ? "pretty JSON" : m, onclick: () => { mode = m; drawViews(); if (last) render(last); } })));
  drawViews();
  kind.value = params.get("kind") || (params.get("from") ? guessKind(params.get("from")) : "head");
  value.value = params.get("from") && !["head", "tail"].includes(params.get("from")) ? params.get("from") : "";

  let last = null;
  const render = (res) => {
    const { stream, from, data } = res;
    if (!data.events.length) { out.replaceChildren(notice("No events from there (yet).")); return; }
    const rows = data.events.map((ev, i) => {
      const p = parsePointer(ev.pointer) || {};
      const bytes = payloadBytes(ev);
      const open = `/v1/events/${streamPath(stream)}/${ev.pointer}`;
      return el("tr", { "data-pointer": ev.pointer, class: res.highlight === ev.pointer ? "hit" : "" },
        el("td", { class: "num", text: String(i + 1) }),
        el("td", {}, el("div", { class: "pointer" }, el("code", { text: ev.pointer }), el("div", { class: "actions" },
          el("button", { class: "btn small", type: "button", title: "Copy the pointer", text: "copy", onclick: (e) => copy(ev.pointer, e.target) }),
          el("a", { class: "btn small", href: open, target: "_blank", rel: "noopener", title: "Open the payload (GET /v1/events/…)", text: "open" }),
          el("a", { class: "btn small", href: `#/events?stream=${enc(stream)}&kind=pointer&from=${enc(ev.pointer)}`, title: "Read from this event", text: "seek" })))),
        el("td", { class: "mono", text: p.segment ? segName(p.segment) : "–" }),
        el("td", { class: "num", text: p.offset !== undefined ? String(p.offset) : "–" }),
        el("td", { class: "num", text: fmtBytes(bytes.length) }),
        el("td", {}, el("pre", { class: "payload", text: showPayload(ev, mode) })));
    });
    const blobFrom = from.kind === "pointer" ? null : from.kind === "head" ? "head" : from.kind === "tail" ? null : from.param;
    const blob = blobFrom ? `/v1/streams/${streamPath(stream)}/blob?from=${enc(blobFrom)}&to=${enc(data.position)}` : null;
    out.replaceChildren(
      el("div", { class: "toolbar" },
        el("span", { class: "muted", text: `${data.events.length} events` }), el("span", { class: "spacer" }),
        el("button", { class: "btn", type: "button", id: "ev-next", text: "Next page", onclick: () => read(stream, { kind: "cut", param: data.position }) }),
        blob ? el("a", { class: "btn", id: "ev-blob", href: blob, download: stream.replace("/", "_") + ".bin", text: "Download this range (blob)" })
          : el("span", { class: "muted small", text: "blob download: start at head, a cut or a time" }),
        el("button", { class: "btn", type: "button", text: "Copy position", title: data.position, onclick: (e) => copy(data.position, e.target) })),
      el("section", { class: "card flush" }, table([{ label: "#", num: true }, { label: "Pointer" }, { label: "Segment" }, { label: "Offset", num: true }, { label: "Size", num: true }, { label: "Payload" }], rows, { id: "events-table" })));
  };
  const read = async (stream, from) => {
    out.replaceChildren(el("p", { class: "muted", text: "Reading…" }));
    try {
      const n = Math.min(1000, Math.max(1, parseInt(limit.value, 10) || 20));
      const data = await api(`/v1/streams/${streamPath(stream)}/events?from=${enc(from.param)}&limit=${n}`);
      last = { stream, from, data, highlight: from.kind === "pointer" ? from.param : null };
      render(last);
    } catch (e) {
      out.replaceChildren(notice(e.message, true));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const from = fromParam(kind.value, value.value.trim());
    if (from.error) { out.replaceChildren(notice(from.error, true)); return; }
    const q = new URLSearchParams({ stream: sel.value, kind: kind.value });
    if (!["head", "tail"].includes(kind.value)) q.set("from", value.value.trim());
    const target = "#/events?" + q.toString();
    if (location.hash !== target) history.replaceState(null, "", target);
    read(sel.value, from);
  });
  listStreams().then((streams) => {
    const want = params.get("stream");
    sel.replaceChildren(...streams.map((s) => el("option", { value: s.name, text: s.name })));
    if (!streams.length) { out.replaceChildren(notice("No streams yet.")); return; }
    if (want && streams.some((s) => s.name === want)) sel.value = want;
    if (want) form.requestSubmit();
  }).catch((e) => out.replaceChildren(notice("Could not list streams: " + e.message, true)));
}

function guessKind(v) {
  if (v === "head" || v === "tail") return v;
  if (v.startsWith("v1.")) return "cut";
  if (parsePointer(v)) return "pointer";
  return "time";
}

function fromParam(kind, v) {
  switch (kind) {
    case "head": case "tail": return { kind, param: kind };
    case "cut": return v.startsWith("v1.") ? { kind, param: v } : { error: "A stream cut starts with v1. (copy one from a read's position or GET …/cuts/head)." };
    case "pointer": return parsePointer(v) ? { kind, param: v } : { error: "An event pointer is <segment:16 hex>-<offset:16 hex>-<length:8 hex>." };
    case "time": {
      const t = Date.parse(v);
      if (Number.isNaN(t)) return { error: `"${v}" is not a time: give RFC 3339, e.g. 2026-01-02T15:04:05Z.` };
      return { kind, param: "time:" + new Date(t).toISOString() };
    }
  }
  return { error: "unknown start " + kind };
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    if (button) { const t = button.textContent; button.textContent = "copied"; setTimeout(() => { button.textContent = t; }, 1200); }
  } catch {
    window.prompt("Copy:", text);
  }
}

// ---- who is logged in ------------------------------------------------------

// initUser shows the user's name and a Log out button in the sidebar when
// the server authenticates (GET /v1/whoami says so).
async function initUser() {
  let me;
  try { me = await api("/v1/whoami"); } catch { return; }
  if (!me || !me.auth) return;
  const roles = Object.entries(me.roles || {}).map(([s, r]) => `${s}=${r}`);
  if (me.metrics) roles.unshift("metrics");
  if (me.admin) roles.unshift("cluster admin");
  const box = document.getElementById("user-box");
  box.replaceChildren(
    el("div", { class: "user-who" }, el("span", { text: "Signed in as" }),
      el("span", { class: "user-name", id: "user-name", text: me.name, title: `${me.name}: ${roles.join(", ") || "no roles"}` })),
    el("button", { type: "button", class: "btn ghost small", id: "logout", text: "Log out", onclick: logout }));
  box.hidden = false;
}

async function logout() {
  try {
    await fetch("/v1/logout", { method: "POST" });
  } finally {
    location.assign("/login");
  }
}

// ---- router and theme -----------------------------------------------------

let current = { cleanups: [] };

function route() {
  for (const fn of current.cleanups) fn();
  hideTip();
  current = { cleanups: [] };
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query || "");
  let nav = parts[0] || "overview";
  if (!parts.length) overview(current);
  else if (parts[0] === "streams" && parts.length === 3) streamPage(current, parts[1] + "/" + parts[2]);
  else if (parts[0] === "streams") streamsPage(current);
  else if (parts[0] === "groups" && parts.length === 3) groupPage(current, parts[1] + "/" + parts[2]);
  else if (parts[0] === "groups") groupsPage(current);
  else if (parts[0] === "events") eventsPage(current, params);
  else if (parts[0] === "queries" && parts.length === 2) queryPage(current, parts[1]);
  else if (parts[0] === "queries") queriesPage(current);
  else if (parts[0] === "exports") exportsPage(current);
  else if (parts[0] === "ephemeral") ephemeralPage(current);
  else if (parts[0] === "cluster") clusterPage(current);
  else { nav = ""; main().replaceChildren(head("Not found"), notice(`No page ${hash}.`)); }
  for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === nav);
  document.body.dataset.page = nav;
}

const THEMES = ["auto", "light", "dark"];

function applyTheme(t) {
  if (t === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  document.getElementById("theme-toggle").textContent = "Theme: " + t;
  // Charts read their colours when drawn.
  for (const fn of store.listeners) fn();
}

function initTheme() {
  let t = new URLSearchParams(location.search).get("theme") || localStorage.getItem("braid-theme") || "auto";
  if (!THEMES.includes(t)) t = "auto";
  applyTheme(t);
  document.getElementById("theme-toggle").addEventListener("click", () => {
    t = THEMES[(THEMES.indexOf(t) + 1) % THEMES.length];
    localStorage.setItem("braid-theme", t);
    applyTheme(t);
  });
}

let resizeTimer = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { for (const fn of store.listeners) fn(); }, 150);
});
window.addEventListener("hashchange", route);
initTheme();
initUser();
loadHistory("names=" + SERVER_SERIES.join(",")).catch(() => {}).finally(() => { connectLive(); for (const fn of store.listeners) fn(); });
route();
