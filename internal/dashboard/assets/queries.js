// The Queries pages of the dashboard: the continuous queries the server
// runs, a form that validates and deploys SQL (docs/sql.md), and a query's
// own page with its status, its SQL and a live chart and table of its
// results (GET /v1/queries/{name}/results, Server-Sent Events).
//
// This module and app.js import each other: nothing here may use app.js's
// bindings before a page is drawn (app.js routes once both modules are
// evaluated), so the top level only declares.
import { el, LineChart, fmtNum, fmtSeconds, fmtTime, fmtWhen } from "./chart.js";
import { api, enc, streamPath, main, head, tile, setText, badge, card, notice, table, listStreams, every, toLogin } from "./app.js";

const STATES = { running: "ok", retrying: "warn", stopped: "", failed: "bad" };
// Health: badge colour and words. "" is a stopped query's (no health).
const HEALTH = {
  ok: ["ok", "ok"], waiting: ["waiting", "accent"], no_output: ["no output", "warn"],
  dropping: ["dropping", "warn"], failing: ["failing", "bad"],
};
const ROLES = { window_start: "window start", window_end: "window end", group: "group", value: "value", final: "final flag" };

// The chart keeps the last MAX_WINDOWS windows, draws at most MAX_CHARTS
// value columns and MAX_LINES groups per chart; the table shows the last
// TABLE_ROWS results.
const MAX_WINDOWS = 500;
const MAX_CHARTS = 5;
const MAX_LINES = 10;
const TABLE_ROWS = 50;
const COLORS = ["--c1", "--c2", "--c3", "--c4", "--c5", "--c6", "--c7", "--c8", "--c9", "--c10"].map((v) => `var(${v})`);

const DRAFT_KEY = "braid-query-draft";
const warningsKey = (name) => "braid-query-warnings:" + name;

// ---- helpers ----------------------------------------------------------------

// send makes a request with a JSON body; unlike api it hands back the
// answer of a failed one too (a 400 carries the query's problems).
async function send(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) toLogin();
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: r.status, ok: r.ok, body: data, message: data?.error?.message || `${r.status} ${r.statusText}` };
}

const queryPath = (name) => "/v1/queries/" + enc(name);
const ms = (t) => (t ? Date.parse(t) : NaN);
const count = (n) => (n < 100000 ? String(n) : fmtNum(n));
const refused = (ev) => ev.bad_json + ev.bad_time + ev.type_errors + ev.future + ev.over_max_groups;

function stateBadge(state) {
  return badge(state, STATES[state]);
}

function healthBadge(q) {
  if (!q.health) {
    const b = badge("–");
    b.title = "a stopped query has no health";
    return b;
  }
  const [text, kind] = HEALTH[q.health] || [q.health, ""];
  const b = badge(text, kind);
  b.title = q.health_detail || (q.health === "ok" ? "reading, and writing results as windows close" : q.health);
  return b;
}

// watermarkText is how far the query's watermark is behind the wall clock.
function watermarkText(q) {
  if (!q.watermark) return "no watermark yet";
  const lag = (Date.now() - ms(q.watermark)) / 1000;
  return lag >= 0 ? `watermark ${fmtSeconds(lag)} behind` : `watermark ${fmtSeconds(-lag)} ahead`;
}

function ago(t) {
  const s = (Date.now() - ms(t)) / 1000;
  return s < 1 ? "just now" : fmtSeconds(s) + " ago";
}

function streamLink(name) {
  return name ? el("a", { href: `#/streams/${streamPath(name)}`, class: "mono", text: name }) : el("span", { class: "muted", text: "–" });
}

function columnChips(columns) {
  return el("div", { class: "col-chips" }, ...columns.map((c) => el("span", { class: "col-chip role-" + c.role, title: ROLES[c.role] || c.role, "data-role": c.role },
    el("span", { class: "mono", text: c.name }), el("span", { class: "role", text: ROLES[c.role] || c.role }))));
}

// ---- the SQL editor ------------------------------------------------------------

// Keep in step with .sql-editor in app.css.
const LINE_H = 20;
const PAD_T = 8;
const PAD_L = 12;
const TAB = 4;

// charsAt turns a problem's column (bytes from 1) into the offset within
// line (UTF-16 units, for the selection) and its visual column (tabs
// expanded, for the marks).
function charsAt(line, col) {
  const bytes = new TextEncoder().encode(line);
  const prefix = new TextDecoder().decode(bytes.slice(0, Math.max(0, col - 1)));
  let visual = 0;
  for (const ch of prefix) visual = ch === "\t" ? (Math.floor(visual / TAB) + 1) * TAB : visual + 1;
  return { offset: prefix.length, visual };
}

// sqlEditor is a monospace textarea with a line-number gutter. setMarks
// highlights the lines of problems ({line, column, message}) in the gutter
// and in the text, with each message just under its line, pointing at its
// column; an edit clears them (the places would be stale).
function sqlEditor(id, onEdit) {
  const ta = el("textarea", { id, class: "sql-text", wrap: "off", spellcheck: "false", autocomplete: "off", autocapitalize: "off", "aria-label": "The query's SQL", rows: "10" });
  const numbers = el("div", { class: "sql-numbers" });
  const gutter = el("div", { class: "sql-gutter", id: id + "-gutter", "aria-hidden": "true" }, numbers);
  const bands = el("div", { class: "sql-layer-in" });
  const callouts = el("div", { class: "sql-layer-in" });
  const probe = el("span", { class: "sql-probe", "aria-hidden": "true", text: "0".repeat(40) });
  const code = el("div", { class: "sql-code" }, el("div", { class: "sql-layer sql-bands", "aria-hidden": "true" }, bands), ta,
    el("div", { class: "sql-layer sql-callouts", id: id + "-marks" }, callouts), probe);
  const root = el("div", { class: "sql-editor", id: id + "-editor" }, gutter, code);
  let marks = [];
  let shown = 0;

  const lines = () => ta.value.split("\n");
  const drawGutter = () => {
    const n = lines().length;
    if (n !== shown) {
      numbers.replaceChildren(...Array.from({ length: n }, (_, i) => el("div", { class: "ln", "data-line": String(i + 1), text: String(i + 1) })));
      shown = n;
    }
    const bad = new Map();
    for (const m of marks) bad.set(m.line, (bad.get(m.line) || []).concat(m));
    for (const ln of numbers.children) {
      const at = bad.get(+ln.dataset.line);
      ln.classList.toggle("bad", !!at);
      if (at) ln.title = at.map((m) => m.message).join("\n");
      else ln.removeAttribute("title");
    }
    ta.rows = Math.min(Math.max(n + 1, 8), 24);
  };
  const scroll = () => {
    numbers.style.transform = `translateY(${-ta.scrollTop}px)`;
    const t = `translate(${-ta.scrollLeft}px, ${-ta.scrollTop}px)`;
    bands.style.transform = t;
    callouts.style.transform = t;
  };
  const drawMarks = () => {
    const text = lines();
    const charW = probe.getBoundingClientRect().width / 40 || 7.5;
    const width = code.clientWidth || 600;
    const byLine = new Map();
    for (const m of marks) byLine.set(m.line, (byLine.get(m.line) || []).concat(m));
    bands.replaceChildren(...[...byLine.keys()].map((line) => {
      const b = el("div", { class: "sql-band", "data-line": String(line) });
      b.style.top = PAD_T + (line - 1) * LINE_H + "px";
      return b;
    }));
    callouts.replaceChildren(...[...byLine.entries()].map(([line, ms]) => {
      const first = ms[0];
      const x = PAD_L + charsAt(text[line - 1] || "", first.column).visual * charW;
      const left = Math.max(4, Math.min(x - 14, width - 380));
      const box = el("div", { class: "sql-callout", "data-line": String(line), "data-column": String(first.column) },
        el("span", { class: "sql-caret" }),
        ...ms.map((m) => el("div", { class: "msg" }, el("b", { text: `line ${m.line}, column ${m.column}: ` }), m.message)));
      box.style.top = PAD_T + line * LINE_H + 3 + "px";
      box.style.left = left + "px";
      box.style.maxWidth = Math.max(240, width - left - 8) + "px";
      box.firstChild.style.left = Math.max(6, x - left - 5) + "px";
      return box;
    }));
    scroll();
  };

  ta.addEventListener("input", () => {
    if (marks.length) { marks = []; drawMarks(); }
    drawGutter();
    onEdit();
  });
  ta.addEventListener("scroll", scroll);
  drawGutter();
  return {
    root, ta,
    setText(text) { ta.value = text; drawGutter(); drawMarks(); },
    setMarks(problems) {
      const n = lines().length;
      marks = problems.filter((p) => p.line >= 1 && p.line <= n);
      drawGutter();
      drawMarks();
      if (marks.length) {
        // Show the first problem's line (and the message under it).
        const top = PAD_T + (marks[0].line - 1) * LINE_H;
        if (top < ta.scrollTop || top + 3 * LINE_H > ta.scrollTop + ta.clientHeight) ta.scrollTop = Math.max(0, top - 2 * LINE_H);
      }
    },
    focusAt(line, column) {
      const text = lines();
      let off = 0;
      for (let i = 0; i < line - 1 && i < text.length; i++) off += text[i].length + 1;
      off += charsAt(text[line - 1] || "", column).offset;
      ta.focus();
      ta.setSelectionRange(off, off);
    },
  };
}

// ---- an example to start from ------------------------------------------------

const SYNTAX = `-- A continuous query reads a stream's JSON events as they arrive and
-- appends its results to a stream of its own (the language: docs/sql.md).
-- For example, per sensor, every 10 seconds of event time:
--
--   SELECT sensor, count(*) AS n, avg(temp) AS avg_temp
--   FROM demo.sensors
--   WHERE temp IS NOT NULL
--   GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), sensor
--   WITH (watermark_delay = '2s')
--
-- FROM names the input as scope.stream. ts is the event's time field (an
-- RFC 3339 string or milliseconds since 1970; _time is the append time).
-- Windows: TUMBLE(t, size), HOP(t, slide, size), SESSION(t, gap),
-- COUNT_WINDOW(n). EMIT EVERY INTERVAL '2' SECOND also writes early
-- results of open windows. There is no stream yet: create one (braid
-- stream create demo/sensors) and write JSON events to it.
`;

const TIME_NAMES = ["ts", "time", "timestamp", "event_time", "@timestamp", "t"];
const GROUP_NAMES = ["sensor", "device", "host", "room", "region", "service", "item", "type", "kind", "level", "name", "user"];
const VALUE_NAMES = ["temp", "temperature", "value", "amount", "price", "latency", "duration", "size", "bytes", "count"];
const RESERVED = new Set(["SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "EMIT", "WITH", "AS", "AND", "OR", "NOT", "IS", "NULL", "IN",
  "LIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "TRUE", "FALSE", "INTERVAL", "DISTINCT", "_TIME", "WINDOW_START", "WINDOW_END"]);

function ident(name) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toUpperCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

const preferred = (names, list) => names.slice().sort((a, b) => {
  const ia = list.indexOf(a.toLowerCase()), ib = list.indexOf(b.toLowerCase());
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
})[0];

// exampleFor writes a query over stream from the fields of some of its
// events: per a field with few distinct strings, every 10 seconds of event
// time (a time field, else the append time), the count and the mean of a
// numeric field.
function exampleFor(stream, events) {
  const objs = [];
  for (const ev of events) {
    if (ev.data === undefined) continue;
    try {
      const o = JSON.parse(ev.data);
      if (o && typeof o === "object" && !Array.isArray(o)) objs.push(o);
    } catch { /* not JSON */ }
  }
  const fields = new Map();
  for (const o of objs) {
    for (const [k, v] of Object.entries(o)) {
      let f = fields.get(k);
      if (!f) fields.set(k, (f = { n: 0, nums: 0, times: 0, msTimes: 0, strs: new Set(), long: false }));
      f.n++;
      if (typeof v === "number") {
        f.nums++;
        if (v > 1e11 && v < 1e14) f.msTimes++;
      } else if (typeof v === "string") {
        if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(v) && !Number.isNaN(Date.parse(v))) f.times++;
        else if (v.length <= 40) f.strs.add(v);
        else f.long = true;
      }
    }
  }
  const all = [...fields.entries()];
  const times = all.filter(([k, f]) => f.times === f.n || (f.msTimes === f.n && TIME_NAMES.includes(k.toLowerCase()))).map(([k]) => k);
  const time = times.length ? preferred(times, TIME_NAMES) : "_time";
  const groups = all.filter(([k, f]) => k !== time && f.strs.size >= 1 && f.strs.size <= 20 && !f.long && f.strs.size < Math.max(2, objs.length)).map(([k]) => k);
  const group = groups.length ? preferred(groups, GROUP_NAMES) : "";
  const values = all.filter(([k, f]) => k !== time && f.nums === f.n && !/(^|_)(id|seq|offset|order)$/i.test(k)).map(([k]) => k);
  const value = values.length ? preferred(values, VALUE_NAMES) : "";
  const [scope, name] = stream.split("/");
  const alias = value ? "avg_" + value.replace(/[^A-Za-z0-9_]/g, "_") : "";
  const by = time === "_time" ? "append time" : "event time";
  const what = [group ? `per ${group}` : "", "how many events came", value ? `and the mean ${value}` : ""].filter(Boolean).join(", ").replace(", and", " and");
  return [
    `-- An example over ${stream}, from the fields of its last events: every`,
    `-- 10 seconds of ${by} (${time}), ${what}.`,
    "-- Name it, Validate, then Deploy; the language is in docs/sql.md.",
    `SELECT ${group ? ident(group) + ", " : ""}count(*) AS n${value ? `, avg(${ident(value)}) AS ${ident(alias)}` : ""}`,
    `FROM ${scope}.${name}`,
    `GROUP BY TUMBLE(${time === "_time" ? "_time" : ident(time)}, INTERVAL '10' SECOND)${group ? ", " + ident(group) : ""}`,
    "WITH (watermark_delay = '2s')",
    "",
  ].join("\n");
}

// exampleSQL is an example over one of the user's streams (not one a
// query writes), or SYNTAX when there is none.
async function exampleSQL() {
  let streams, queries;
  try {
    [streams, queries] = await Promise.all([listStreams(), api("/v1/queries").then((r) => r.queries).catch(() => [])]);
  } catch {
    return SYNTAX;
  }
  const made = new Set(queries.flatMap((q) => [q.output, q.late_output, q.state_stream]).filter(Boolean));
  const inputs = streams.filter((s) => !made.has(s.name) && !s.sealed);
  if (!inputs.length) return SYNTAX;
  for (const st of inputs.slice(0, 5)) {
    const path = `/v1/streams/${streamPath(st.name)}/events?limit=50&from=`;
    let events = await api(path + enc("time:-10m")).then((r) => r.events).catch(() => []);
    if (!events.length) events = await api(path + "head").then((r) => r.events).catch(() => []);
    if (events.length) return exampleFor(st.name, events);
  }
  return exampleFor(inputs[0].name, []);
}

// ---- the deploy form -------------------------------------------------------------

function loadDraft() {
  try { return JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null"); } catch { return null; }
}

function deployForm() {
  const draft = loadDraft();
  const name = el("input", { id: "query-name", name: "name", placeholder: "sensors-per-second", spellcheck: "false", autocomplete: "off", title: "letters, digits, _ and -" });
  const replace = el("input", { type: "checkbox", id: "query-replace" });
  const force = el("input", { type: "checkbox", id: "query-force" });
  const problems = el("div", { id: "query-problems", "aria-live": "polite" });
  const validation = el("div", { id: "query-validation" });
  const status = el("span", { class: "muted small", id: "query-form-status" });
  let touched = !!draft;
  const save = () => sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ name: name.value, sql: editor.ta.value }));
  const editor = sqlEditor("query-sql", () => {
    touched = true;
    save();
    if (problems.firstChild) problems.classList.add("stale");
    validation.replaceChildren();
  });
  name.addEventListener("input", () => { name.classList.remove("invalid"); save(); });
  const validateBtn = el("button", { class: "btn", type: "button", id: "query-validate", text: "Validate", title: "Check the query without deploying it (Ctrl+Enter)" });
  const deployBtn = el("button", { class: "btn primary", type: "submit", id: "query-deploy", text: "Deploy", title: "Deploy the query: the server runs it from then on" });
  const form = el("form", { id: "query-form", class: "query-form" },
    el("div", { class: "form-row" },
      el("label", {}, "Name", name),
      el("label", { class: "check", title: "deploy a new version of a query of that name (it goes on from where the old version had read to, with no state)" }, replace, "replace"),
      el("label", { class: "check", title: "deploy even if a field the query reads is in none of the input's last events" }, force, "force")),
    editor.root,
    el("div", { class: "toolbar" }, validateBtn, deployBtn, status),
    problems, validation);

  const busy = (what) => {
    validateBtn.disabled = deployBtn.disabled = !!what;
    status.textContent = what || "";
  };
  const message = (text, bad) => {
    problems.classList.remove("stale");
    problems.replaceChildren(...(text ? [notice(text, bad)] : []));
    editor.setMarks([]);
  };
  const showProblems = (ps, verb) => {
    problems.classList.remove("stale");
    validation.replaceChildren();
    editor.setMarks(ps);
    problems.replaceChildren(el("div", { class: "notice bad problems" },
      el("div", { class: "problems-head", text: ps.length === 1 ? `The query has a problem; ${verb}:` : `The query has ${ps.length} problems; ${verb}:` }),
      el("ul", {}, ...ps.map((p) => el("li", { class: "problem", "data-line": String(p.line), "data-column": String(p.column) },
        p.line > 0 ? el("button", { type: "button", class: "linkish", title: "Go to this place in the text", text: `line ${p.line}, column ${p.column}`, onclick: () => editor.focusAt(p.line, p.column) }) : null,
        p.line > 0 ? ": " : null, el("span", { class: "message", text: p.message }))))));
  };
  const showValid = (v) => {
    message("");
    validation.replaceChildren(el("div", { class: "notice ok", id: "query-valid" },
      el("div", { class: "valid-head" }, el("b", { text: "The query is valid." }), ` It reads `, streamLink(v.input), ` and writes its results to `,
        el("span", { class: "mono", text: v.output || "–" }), v.late_output ? el("span", {}, ", late events to ", el("span", { class: "mono", text: v.late_output })) : null, "."),
      el("div", { class: "small" }, "Columns: ", columnChips(v.columns || [])),
      (v.warnings || []).length ? el("ul", { class: "warnings" }, ...v.warnings.map((w) => el("li", { class: "warn-text", text: w }))) : null));
  };

  const validate = async () => {
    busy("Validating…");
    try {
      const r = await send("POST", "/v1/queries/validate", { name: name.value.trim(), sql: editor.ta.value, force: force.checked });
      if (!r.ok) message(r.message, true);
      else if (r.body.problems.length) showProblems(r.body.problems, "nothing was deployed");
      else showValid(r.body);
    } catch (e) {
      message("Could not validate: " + e.message, true);
    } finally {
      busy("");
    }
  };
  const deploy = async () => {
    const n = name.value.trim();
    if (!n) {
      name.classList.add("invalid");
      name.focus();
      message("Name the query first (letters, digits, _ and -): its results go to a stream named after it.", true);
      return;
    }
    busy("Deploying…");
    try {
      const r = await send("POST", "/v1/queries", { name: n, sql: editor.ta.value, replace: replace.checked, force: force.checked });
      if (r.status === 201) {
        sessionStorage.removeItem(DRAFT_KEY);
        if (r.body.warnings && r.body.warnings.length) sessionStorage.setItem(warningsKey(n), JSON.stringify(r.body.warnings));
        location.hash = "#/queries/" + enc(n);
        return;
      }
      if (r.body && r.body.problems && r.body.problems.length) showProblems(r.body.problems, "it was not deployed");
      else if (r.status === 409) message(`A query named ${n} is deployed already: tick “replace” to deploy this as its new version (it goes on from where the old one had read to), or pick another name.`, true);
      else message(r.message, true);
    } catch (e) {
      message("Could not deploy: " + e.message, true);
    } finally {
      busy("");
    }
  };
  validateBtn.addEventListener("click", validate);
  form.addEventListener("submit", (e) => { e.preventDefault(); deploy(); });
  editor.ta.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); validate(); }
  });

  if (draft) {
    name.value = draft.name || "";
    editor.setText(draft.sql || "");
    form.dataset.ready = "true";
  } else {
    exampleSQL().then((text) => { if (!touched) editor.setText(text); }).finally(() => { form.dataset.ready = "true"; });
  }
  return card(null, el("div", { class: "chart-head" }, el("h2", { text: "Deploy a query" }),
    el("span", { class: "muted small", text: "SQL over a stream's JSON events (docs/sql.md); Ctrl+Enter validates" })), form);
}

// ---- the list ----------------------------------------------------------------------

export function queriesPage(page) {
  const body = el("div", { id: "queries-body" }, el("p", { class: "muted", text: "Loading queries…" }));
  main().replaceChildren(head("Queries", "continuous SQL over streams, their results kept as streams"),
    el("div", { class: "tiles four" }, tile("Queries", "q-count"), tile("Running", "q-running", ""), tile("Not healthy", "q-unhealthy", ""),
      tile("Results out", "q-rate", "per second, all queries")),
    deployForm(),
    el("div", { class: "section" }, el("section", { class: "card flush", id: "queries-card" },
      el("div", { class: "chart-head" }, el("h2", { text: "Deployed queries" }), el("span", { class: "muted small", text: "hover a health for why" })), body)));
  page.onError = (e) => body.replaceChildren(notice("Could not list the queries: " + e.message, true));
  every(page, 2000, async () => {
    const { queries } = await api("/v1/queries");
    const unhealthy = queries.filter((q) => q.health && q.health !== "ok");
    setText("q-count", String(queries.length));
    setText("q-running", String(queries.filter((q) => q.state === "running").length));
    setText("q-running-hint", queries.some((q) => q.state !== "running") ? `${queries.filter((q) => q.state !== "running").length} not running` : "");
    setText("q-unhealthy", String(unhealthy.length));
    setText("q-unhealthy-hint", unhealthy.length ? "see below" : "");
    setText("q-rate", fmtNum(queries.reduce((a, q) => a + q.output_rate, 0)));
    if (!queries.length) {
      body.replaceChildren(el("div", { class: "notice", id: "queries-empty" },
        el("div", { text: "No queries yet. Write one above and deploy it, or from a shell:" }),
        el("code", { class: "command", text: "braid query deploy avg.sql" }),
        el("div", { text: "(or POST /v1/queries). The server runs it from then on, across restarts, appending its results to its output stream." })));
      return;
    }
    const cols = [{ label: "Query: input → output" }, { label: "State" }, { label: "Health" }, { label: "In", num: true },
      { label: "Out", num: true }, { label: "Results", num: true }, { label: "Last result" }, { label: "Watermark" }];
    const rows = queries.flatMap((q) => {
      const sick = q.health && q.health !== "ok";
      const row = el("tr", { "data-query": q.name, class: sick ? "retrying" : "" },
        el("td", { title: q.created ? `created ${fmtWhen(ms(q.created))}` : "" },
          el("div", { class: "nowrap" }, el("a", { href: "#/queries/" + enc(q.name), class: "mono name", text: q.name }), el("span", { class: "muted small", text: ` v${q.version}` })),
          el("div", { class: "small streams" }, streamLink(q.input), el("span", { class: "muted", text: " → " }), streamLink(q.output))),
        el("td", { class: "state", "data-state": q.state }, stateBadge(q.state)),
        el("td", { class: "health", "data-health": q.health }, healthBadge(q)),
        el("td", { class: "num in-rate", text: fmtNum(q.input_rate) + "/s" }),
        el("td", { class: "num out-rate", text: fmtNum(q.output_rate) + "/s" }),
        el("td", { class: "num results", text: count(q.results_out) }),
        el("td", { class: "nowrap last-result" }, q.last_result ? el("span", { title: fmtTime(ms(q.last_result), true), text: ago(q.last_result) }) : el("span", { class: "muted", text: "none yet" }),
          q.health === "no_output" || (!q.last_result && q.events.matched > 0) ? el("span", {}, " ", badge("no output", "warn")) : null),
        el("td", { class: "nowrap watermark", title: q.watermark ? "watermark " + fmtTime(ms(q.watermark), true) : "", text: watermarkText(q) }));
      if (!sick) return [row];
      const kind = HEALTH[q.health]?.[1] || "warn";
      return [row, el("tr", { class: "health-row " + kind + (kind === "bad" || kind === "warn" ? " retrying" : ""), "data-query-health": q.name },
        el("td", { colspan: String(cols.length) }, el("span", { class: "label", text: (HEALTH[q.health]?.[0] || q.health) + ": " }),
          el("span", { class: "detail", text: q.health_detail || "" })))];
    });
    body.replaceChildren(table(cols, rows, { id: "queries-table" }));
  });
}

// ---- one query -----------------------------------------------------------------------

function fmtCell(v, role) {
  if (v === null || v === undefined) return el("span", { class: "muted", text: v === null ? "NULL" : "" });
  if (role === "final") return badge(v ? "final" : "early", v ? "ok" : "accent");
  if ((role === "window_start" || role === "window_end") && typeof v === "string" && !Number.isNaN(Date.parse(v))) {
    return el("span", { title: v, text: fmtTime(Date.parse(v), new Date(Date.parse(v)).toDateString() !== new Date().toDateString()) + fraction(v) });
  }
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(+v.toPrecision(6));
  if (typeof v === "object") return el("span", { class: "mono", text: JSON.stringify(v) });
  return String(v);
}

// fraction is the milliseconds of an RFC 3339 time, when it has some.
function fraction(t) {
  const m = /\.(\d+)/.exec(t);
  return m && +m[1] !== 0 ? "." + m[1].slice(0, 3).padEnd(3, "0") : "";
}

function timeOf(v) {
  if (typeof v === "number") return v;
  if (typeof v === "string") return Date.parse(v);
  return NaN;
}

export function queryPage(page, name) {
  const actions = el("div", { class: "actions-bar" },
    el("button", { class: "btn", type: "button", id: "query-stop", text: "Stop", title: "Pause the query at a checkpoint (it stays stopped, across restarts, until started)" }),
    el("button", { class: "btn", type: "button", id: "query-start", text: "Start", title: "Run the query again from its last checkpoint" }),
    el("label", { class: "check small", title: "delete the output stream with the query" }, el("input", { type: "checkbox", id: "query-delete-output" }), "with its output"),
    el("button", { class: "btn danger", type: "button", id: "query-delete", text: "Delete" }));
  const health = el("div", { id: "query-health", class: "section-tight" });
  const notices = el("div", { id: "query-notices" });
  const sqlView = el("pre", { class: "sql-view", id: "query-sql-view", text: "" });
  const facts = el("dl", { class: "facts", id: "query-facts" });
  const chartBox = el("div", { id: "query-chart", class: "grid cols-2 query-charts", "data-groups": "0", "data-points": "0" });
  const chartNote = el("span", { class: "muted small", id: "query-chart-note", text: "" });
  const picker = el("div", { class: "seg-toggle", id: "query-chart-columns", role: "group", "aria-label": "Value columns charted", hidden: true });
  const liveState = el("span", { class: "live", id: "query-live" }, el("span", { class: "dot" }), el("span", { class: "text", text: "connecting" }));
  const resultsBody = el("div", { id: "query-results" }, el("p", { class: "muted empty", text: "No results yet: they show here as the query writes them." }));
  main().replaceChildren(
    head(name, el("span", { id: "query-state" }), [el("a", { href: "#/queries", text: "Queries" }), " / ", name], actions),
    health,
    el("div", { class: "tiles five" },
      tile("State", "qs-state", ""), tile("Health", "qs-health", ""), tile("Input rate", "qs-in", "events/s over 10 s"), tile("Output rate", "qs-out", "results/s over 10 s"),
      tile("Results", "qs-results", ""), tile("Late", "qs-late", "behind the watermark"), tile("Refused", "qs-refused", ""),
      tile("Watermark lag", "qs-lag", ""), tile("Last result", "qs-last", ""), tile("Checkpoints", "qs-ckpt", "")),
    notices,
    el("div", { class: "grid cols-2 section query-info" }, card("SQL", sqlView), card("Streams and versions", facts)),
    el("section", { class: "section card", id: "query-chart-card" },
      el("div", { class: "chart-head" }, el("h2", { text: "Results" }), el("span", { class: "spacer" }), chartNote, liveState),
      picker, chartBox),
    el("div", { class: "section" }, el("section", { class: "card flush" },
      el("div", { class: "chart-head" }, el("h2", { text: "Last results" }), el("span", { class: "muted small", text: `the last ${TABLE_ROWS}, newest first` })), resultsBody)));

  let q = null;
  let gone = false;
  // The deploy's warnings, shown once (the form leaves them here).
  let warnings = [];
  try { warnings = JSON.parse(sessionStorage.getItem(warningsKey(name)) || "[]"); } catch { /* none */ }
  sessionStorage.removeItem(warningsKey(name));

  // ---- status ----
  const drawStatus = () => {
    if (!q) return;
    document.getElementById("query-state")?.replaceChildren(stateBadge(q.state), ` version ${q.version}` + (q.created ? `, created ${fmtWhen(ms(q.created))}` : ""));
    const stateTile = document.getElementById("qs-state");
    if (stateTile && stateTile.dataset.state !== q.state) { stateTile.dataset.state = q.state; stateTile.replaceChildren(stateBadge(q.state)); }
    setText("qs-state-hint", q.failures ? `${q.failures} failures` : q.state === "running" ? "reading its input" : "");
    const ht = document.getElementById("qs-health");
    if (ht && ht.dataset.health !== q.health + "|" + q.health_detail) { ht.dataset.health = q.health + "|" + q.health_detail; ht.replaceChildren(healthBadge(q)); }
    setText("qs-health-hint", q.health === "ok" ? "" : q.health ? "see above" : "stopped");
    setText("qs-in", fmtNum(q.input_rate));
    setText("qs-out", fmtNum(q.output_rate));
    setText("qs-results", count(q.results_out));
    const plural = (n, one, many) => `${count(n)} ${n === 1 ? one : many}`;
    setText("qs-results-hint", `${plural(q.open_windows, "open window", "open windows")}, ${plural(q.open_groups, "group", "groups")}`);
    setText("qs-late", count(q.events.late));
    const ev = q.events;
    setText("qs-refused", count(refused(ev)));
    setText("qs-refused-hint", `of ${count(ev.in)} in; ${count(ev.matched)} matched`);
    document.getElementById("qs-refused")?.parentElement.setAttribute("title",
      `bad JSON ${ev.bad_json}, bad time ${ev.bad_time}, type errors ${ev.type_errors}, future ${ev.future}, over max_groups ${ev.over_max_groups}`);
    setText("qs-lag", q.watermark ? fmtSeconds((Date.now() - ms(q.watermark)) / 1000) : "–");
    setText("qs-lag-hint", q.watermark ? "watermark " + fmtTime(ms(q.watermark)) : "no watermark yet");
    setText("qs-last", q.last_result ? fmtTime(ms(q.last_result)) : "none yet");
    setText("qs-last-hint", q.last_result ? ago(q.last_result) : q.health === "no_output" ? "no output" : "");
    setText("qs-ckpt", count(q.checkpoints));
    setText("qs-ckpt-hint", q.last_checkpoint ? "last " + ago(q.last_checkpoint) : "none yet");
    document.getElementById("query-stop").disabled = q.state === "stopped";
    document.getElementById("query-start").disabled = q.state === "running";

    // The health, in full when it is not ok.
    const sick = q.health && q.health !== "ok";
    const key = `${q.health}|${q.health_detail}|${q.state}`;
    if (health.dataset.key !== key) {
      health.dataset.key = key;
      health.dataset.health = q.health;
      const [text, kind] = HEALTH[q.health] || [q.health, ""];
      health.replaceChildren(sick ? el("div", { class: "notice health " + kind }, el("b", { text: `Health: ${text}. ` }), q.health_detail || "") :
        q.state === "stopped" ? el("div", { class: "notice", text: "The query is stopped: Start runs it again from its last checkpoint." }) : "");
    }
    const parts = [];
    if (warnings.length) parts.push(el("div", { class: "notice warn", id: "query-warnings" }, el("b", { text: "Deployed with warnings: " }), el("ul", {}, ...warnings.map((w) => el("li", { text: w })))));
    const missing = Object.entries(q.missing_fields || {}).filter(([, n]) => n > 0);
    if (missing.length) {
      parts.push(el("div", { class: "notice warn", id: "query-missing" }, el("b", { text: "Fields missing from events: " }),
        ...missing.sort((a, b) => b[1] - a[1]).flatMap(([f, n], i) => [i ? ", " : "", el("code", { text: f }), ` in ${count(n)} events`]),
        el("div", { class: "small", text: "Such a field is NULL in those events: is it spelled as the events have it?" })));
    }
    if (q.last_error) {
      parts.push(el("div", { class: "notice bad", id: "query-last-error" }, el("b", { text: "Last error" + (q.last_error_at ? ` (${fmtWhen(ms(q.last_error_at))})` : "") + ": " }),
        el("span", { class: "mono", text: q.last_error })));
    }
    const nkey = JSON.stringify([warnings, missing, q.last_error, q.last_error_at]);
    if (notices.dataset.key !== nkey) { notices.dataset.key = nkey; notices.replaceChildren(...parts); }

    if (sqlView.textContent !== q.sql) sqlView.textContent = q.sql;
    const rows = [["Input", streamLink(q.input)], ["Output", streamLink(q.output)]];
    if (q.late_output) rows.push(["Late events", streamLink(q.late_output)]);
    rows.push(["State stream", streamLink(q.state_stream)], ["Position", el("span", { class: "mono small", text: q.position || "the start" })],
      ["Max event time", q.max_event_time ? fmtWhen(ms(q.max_event_time)) : "–"], ["Last event", q.last_event ? fmtWhen(ms(q.last_event)) : "–"],
      ["Columns", columnChips(q.columns)],
      ["Versions", el("div", {}, ...q.versions.slice().reverse().map((v) => el("div", { class: "small" }, `v${v.version}`,
        el("span", { class: "muted", text: v.deployed ? ` deployed ${fmtWhen(ms(v.deployed))}` : "" }))))]);
    const fkey = JSON.stringify([q.input, q.output, q.late_output, q.position, q.max_event_time, q.last_event, q.versions.length, q.columns]);
    if (facts.dataset.key !== fkey) {
      facts.dataset.key = fkey;
      facts.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]));
    }
  };
  page.onError = (e) => {
    if (e.status === 404) {
      gone = true;
      main().replaceChildren(head(name, null, [el("a", { href: "#/queries", text: "Queries" }), " / ", name]), notice(`No query ${name}.`, true));
      stopResults();
      return;
    }
    health.replaceChildren(notice("Could not read the query: " + e.message, true));
  };
  const refresh = async () => {
    if (gone) return;
    const got = await api(queryPath(name));
    if (gone) return; // the page was left meanwhile
    q = got;
    drawStatus();
    // The results stream opens once the columns' roles are known, and
    // again from scratch when a new version has other columns.
    const ck = JSON.stringify(q.columns);
    if (ck !== columnsKey) {
      columnsKey = ck;
      stopResults();
      entries.clear();
      windows.clear();
      recent = [];
      numeric = new Set();
      chosen = null;
      lastId = "";
      attempt = 0;
      startResults();
    }
  };
  let columnsKey = "";

  const act = async (what, method, path, body) => {
    const r = await send(method, path, body);
    if (gone) return false;
    if (!r.ok) { health.replaceChildren(notice(`Could not ${what} the query: ${r.message}`, true)); return false; }
    if (r.body) { q = r.body; drawStatus(); }
    return true;
  };
  document.getElementById("query-stop").addEventListener("click", () => act("stop", "POST", queryPath(name) + "/stop"));
  document.getElementById("query-start").addEventListener("click", () => act("start", "POST", queryPath(name) + "/start"));
  document.getElementById("query-delete").addEventListener("click", async () => {
    const withOut = document.getElementById("query-delete-output").checked;
    const out = q ? q.output : "its output stream";
    if (!confirm(`Delete the query ${name} and its state stream? ` + (withOut ? `Its output stream ${out} is deleted too.` : `Its output stream ${out} stays.`))) return;
    if (await act("delete", "DELETE", queryPath(name) + (withOut ? "?delete_output=true" : ""))) location.hash = "#/queries";
  });

  // ---- results ----
  // entries: window+group -> {t, group, row}; windows: window -> t (its
  // end, ms); recent: the keys of the last results, newest first.
  const entries = new Map();
  const windows = new Map();
  let recent = [];
  let results = null; // the EventSource, once the columns are known
  let charts = []; // [{column, chart, card}]
  let chosen = null; // the value columns charted
  let roles = null;
  let lastId = "";
  let drawTimer = 0;
  let retryTimer = 0;
  let numeric = new Set(); // value columns with a number seen

  const setLive = (cls, text, title) => {
    liveState.className = "live " + cls;
    liveState.lastChild.textContent = text;
    liveState.title = title || "";
  };
  const columnsOf = () => {
    const by = (role) => q.columns.filter((c) => c.role === role).map((c) => c.name);
    return { start: by("window_start")[0], end: by("window_end")[0], groups: by("group"), values: by("value"), final: by("final")[0] };
  };
  const add = (obj, arrived) => {
    if (!obj || typeof obj !== "object") return;
    const r = roles;
    const group = r.groups.length ? r.groups.map((g) => (obj[g] === null || obj[g] === undefined ? "NULL" : String(obj[g]))).join(", ") : "all";
    const endT = r.end ? timeOf(obj[r.end]) : NaN;
    const t = Number.isNaN(endT) ? arrived : endT;
    const win = (r.start ? String(obj[r.start]) : "") + "|" + (r.end ? String(obj[r.end]) : String(arrived));
    const key = win + "\u0000" + group;
    // An early result (final false) is replaced by later ones for the
    // same window and group.
    entries.set(key, { t, group, row: obj });
    if (!windows.has(win)) windows.set(win, t);
    const i = recent.indexOf(key);
    if (i >= 0) recent.splice(i, 1);
    recent.unshift(key);
    if (recent.length > TABLE_ROWS) recent.length = TABLE_ROWS;
    for (const c of r.values) if (typeof obj[c] === "number") numeric.add(c);
  };
  const trim = () => {
    if (windows.size <= MAX_WINDOWS) return;
    const order = [...windows.entries()].sort((a, b) => a[1] - b[1]);
    const drop = new Set(order.slice(0, order.length - MAX_WINDOWS).map(([w]) => w));
    for (const w of drop) windows.delete(w);
    for (const k of entries.keys()) if (drop.has(k.slice(0, k.indexOf("\u0000")))) entries.delete(k);
  };
  const scheduleDraw = () => {
    if (!drawTimer) drawTimer = setTimeout(() => { drawTimer = 0; drawResults(); }, 200);
  };
  const makeCharts = () => {
    const values = roles.values;
    if (!chosen) chosen = values.slice(0, MAX_CHARTS);
    if (values.length > MAX_CHARTS) {
      picker.hidden = false;
      picker.replaceChildren(...values.map((c) => el("button", {
        type: "button", class: chosen.includes(c) ? "on" : "", text: c, title: `chart ${c} (at most ${MAX_CHARTS} at once)`,
        onclick: () => {
          chosen = chosen.includes(c) ? chosen.filter((x) => x !== c) : chosen.concat(c).slice(-MAX_CHARTS);
          chosen = values.filter((x) => chosen.includes(x));
          makeCharts();
          drawResults();
        },
      })));
    }
    charts = chosen.map((column) => {
      const body = el("div");
      const c = el("div", { class: "query-chart", "data-column": column }, el("div", { class: "chart-head" }, el("h3", { class: "mono", text: column })), body);
      return { column, card: c, chart: new LineChart(body, { unit: "", legendUnit: "", min0: false, windowMs: () => Infinity, height: 220, empty: "no results yet" }) };
    });
    chartBox.classList.toggle("cols-2", charts.length > 1);
    chartBox.replaceChildren(...(charts.length ? charts.map((c) => c.card) :
      [el("p", { class: "muted", text: "The query has no value column to chart: its results are in the table below." })]));
  };
  const drawResults = () => {
    if (!roles) return;
    trim();
    // The step between windows, for where a line breaks (a missing
    // window) and how near the pointer a point is read out.
    const ends = [...new Set(windows.values())].sort((a, b) => a - b);
    let step = Infinity;
    for (let i = 1; i < ends.length; i++) if (ends[i] > ends[i - 1]) step = Math.min(step, ends[i] - ends[i - 1]);
    if (!Number.isFinite(step)) step = 1000;
    // Points per group, oldest first; the lines are the groups seen last.
    const byGroup = new Map();
    for (const e of entries.values()) {
      let g = byGroup.get(e.group);
      if (!g) byGroup.set(e.group, (g = { last: 0, entries: [] }));
      g.entries.push(e);
      g.last = Math.max(g.last, e.t);
    }
    const groups = [...byGroup.entries()].sort((a, b) => b[1].last - a[1].last || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_LINES)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let points = 0;
    for (const c of charts) {
      c.chart.opts.gapMs = Math.max(2500, step * 2.5);
      c.chart.opts.hoverMs = Math.max(1000, step / 2);
      c.chart.opts.minSpanMs = 20 * step;
      if (entries.size && !numeric.has(c.column)) c.chart.opts.empty = "not a number: see the table below";
      const series = groups.map(([label, g], i) => ({
        label, color: COLORS[i % COLORS.length],
        points: g.entries.filter((e) => typeof e.row[c.column] === "number").map((e) => [e.t, e.row[c.column]]).sort((a, b) => a[0] - b[0]),
      }));
      c.chart.set(series);
      points = Math.max(points, series.reduce((a, s) => a + s.points.length, 0));
    }
    chartBox.dataset.groups = String(groups.length);
    chartBox.dataset.points = String(points);
    chartBox.dataset.windows = String(windows.size);
    chartNote.textContent = byGroup.size > MAX_LINES ? `the ${MAX_LINES} groups seen last of ${byGroup.size}; ` : "";
    chartNote.textContent += windows.size ? `${windows.size} windows` + (roles.end ? "" : " (x: when each result came)") : "";
    drawTable();
  };
  const drawTable = () => {
    const rows = recent.map((k) => entries.get(k)).filter(Boolean);
    if (!rows.length) return;
    const known = q.columns.map((c) => c.name);
    const extra = [];
    for (const e of rows) for (const k of Object.keys(e.row)) if (!known.includes(k) && !extra.includes(k)) extra.push(k);
    const cols = q.columns.map((c) => ({ name: c.name, role: c.role })).concat(extra.map((name) => ({ name, role: "" })));
    resultsBody.replaceChildren(table(cols.map((c) => ({ label: c.name, num: c.role === "value" })),
      rows.map((e) => el("tr", { "data-group": e.group, class: e.row[roles.final] === false ? "early" : "" },
        ...cols.map((c) => el("td", { class: c.role === "value" ? "num" : c.role === "final" ? "" : "nowrap" }, fmtCell(e.row[c.name], c.role))))),
      { id: "query-results-table" }));
  };

  // The results stream: from the last 300 results on (to fill the chart),
  // then live. A "lagging" subscriber reopens after its last result; a
  // route the server refuses (an older server without from=-N) falls back
  // to the last 10 minutes, then to live results only.
  const base = queryPath(name) + "/results";
  const starts = [base + "?from=-300", base + "?from=" + enc("time:-10m"), base];
  let attempt = 0;
  const open = (url) => {
    clearTimeout(retryTimer);
    const es = new EventSource(url);
    results = es;
    let opened = false;
    es.onopen = () => { opened = true; setLive("on", "live", "results arrive as the query writes them"); };
    es.onmessage = (ev) => {
      if (ev.lastEventId) lastId = ev.lastEventId;
      let msg, obj;
      try { msg = JSON.parse(ev.data); obj = JSON.parse(msg.data); } catch { return; }
      add(obj, Date.now());
      scheduleDraw();
    };
    es.addEventListener("lagging", () => {
      // Fell behind the live results: go on from the last one seen.
      es.close();
      setLive("off", "catching up");
      open(base + (lastId ? "?last_event_id=" + enc(lastId) : ""));
    });
    es.addEventListener("error", (ev) => {
      if (results !== es) return;
      if (ev.data) {
        let m = ev.data;
        try { m = JSON.parse(ev.data).error.message; } catch { /* as sent */ }
        setLive("off", "reconnecting", "the results stream failed: " + m);
      }
      if (es.readyState !== EventSource.CLOSED) {
        // The browser reconnects by itself, after the last id it saw.
        if (!ev.data) setLive("off", "reconnecting", "the results stream broke; the browser reconnects after the last result seen");
        return;
      }
      es.close();
      if (!opened && !lastId && attempt < starts.length - 1) { open(starts[++attempt]); return; }
      setLive("off", "reconnecting", "the results stream was refused; trying again");
      retryTimer = setTimeout(() => { if (results === es) open(lastId ? base + "?last_event_id=" + enc(lastId) : starts[attempt]); }, 3000);
    });
  };
  const startResults = () => {
    roles = columnsOf();
    makeCharts();
    drawResults();
    open(starts[0]);
  };
  const stopResults = () => {
    clearTimeout(retryTimer);
    clearTimeout(drawTimer);
    if (results) results.close();
    results = null;
  };
  page.cleanups.push(() => { gone = true; stopResults(); });
  // Charts are drawn to their width: again after a resize.
  const onResize = () => scheduleDraw();
  window.addEventListener("resize", onResize);
  page.cleanups.push(() => window.removeEventListener("resize", onResize));
  every(page, 2000, refresh);
}
