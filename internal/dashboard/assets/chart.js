// SVG charts for the braid dashboard: time-series line charts with axes,
// units, a legend and a hover read-out, and the segment diagram (segments
// over the key space [0,1) across epochs).

const NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, parent) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return e;
}

// ---- formatting -----------------------------------------------------------

const SI = ["", "k", "M", "G", "T", "P"];
const IEC = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

function trim(x, digits) {
  const s = x.toFixed(digits);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

export function fmtNum(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  let i = 0, x = v;
  while (Math.abs(x) >= 1000 && i < SI.length - 1) { x /= 1000; i++; }
  return trim(x, a < 10 && i === 0 ? Math.max(digits, 2) : digits) + SI[i];
}

export function fmtBytes(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  let i = 0, x = v;
  while (Math.abs(x) >= 1024 && i < IEC.length - 1) { x /= 1024; i++; }
  return trim(x, i === 0 ? (Math.abs(x) < 10 ? 2 : 0) : digits) + " " + IEC[i];
}

export function fmtByteRate(v) {
  return v === null || v === undefined || Number.isNaN(v) ? "–" : fmtBytes(v) + "/s";
}

export function fmtSeconds(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a === 0) return "0 s";
  if (a < 1e-3) return trim(v * 1e6, 0) + " µs";
  if (a < 1) return trim(v * 1e3, a < 0.01 ? 2 : 1) + " ms";
  if (a < 120) return trim(v, 1) + " s";
  if (a < 7200) return trim(v / 60, 1) + " min";
  if (a < 172800) return trim(v / 3600, 1) + " h";
  return trim(v / 86400, 1) + " d";
}

export function fmtDuration(sec) {
  sec = Math.max(0, Math.floor(sec));
  const d = Math.floor(sec / 86400), h = Math.floor(sec / 3600) % 24, m = Math.floor(sec / 60) % 60, s = sec % 60;
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m ${s}s`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

// fmtWhen is the time of day, with the date when it is not today.
export function fmtWhen(ms) {
  if (Number.isNaN(ms)) return "–";
  return fmtTime(ms, new Date(ms).toDateString() !== new Date().toDateString());
}

export function fmtTime(ms, withDate = false) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, "0");
  const t = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${t}` : t;
}

// formatter for a unit of the series API.
export function formatterFor(unit) {
  switch (unit) {
    case "bytes": return (v) => fmtBytes(v);
    case "bytes/s": return fmtByteRate;
    case "seconds": return fmtSeconds;
    case "events/s": return (v) => fmtNum(v) + "/s";
    case "errors/s": return (v) => fmtNum(v) + "/s";
    case "unix seconds": return (v) => fmtTime(v * 1000);
    default: return (v) => fmtNum(v);
  }
}

// nice ticks between lo and hi, about n of them.
function niceTicks(lo, hi, n, bytes) {
  if (!(hi > lo)) hi = lo + 1;
  const span = hi - lo;
  let step;
  if (bytes && span >= 1024) {
    const p = Math.pow(1024, Math.floor(Math.log(span / n) / Math.log(1024)));
    const raw = span / n / p;
    step = p * ([1, 2, 4, 8, 16, 32, 64, 128, 256, 512].find((s) => s >= raw) || 1024);
  } else {
    const p = Math.pow(10, Math.floor(Math.log10(span / n)));
    const raw = span / n / p;
    step = p * ([1, 2, 2.5, 5, 10].find((s) => s >= raw) || 10);
  }
  const out = [];
  const top = Math.ceil(hi / step - 1e-9) * step;
  for (let v = Math.ceil(lo / step) * step; v <= top + step * 1e-9; v += step) out.push(v);
  return { ticks: out, top: Math.max(hi, top) };
}

const TIME_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400, 604800].map((s) => s * 1000);

function swatch(color) {
  const sw = el("span", { class: "sw" });
  sw.style.background = color;
  return sw;
}

// ---- line chart -----------------------------------------------------------

const tooltip = () => document.getElementById("tooltip");

function showTip(html, x, y) {
  const t = tooltip();
  if (!t) return;
  t.replaceChildren(...html);
  t.hidden = false;
  const r = t.getBoundingClientRect();
  let left = x + 14, top = y + 14;
  if (left + r.width > window.innerWidth - 8) left = x - r.width - 14;
  if (top + r.height > window.innerHeight - 8) top = y - r.height - 14;
  t.style.left = left + "px";
  t.style.top = top + "px";
}

export function hideTip() {
  const t = tooltip();
  if (t) t.hidden = true;
}

// LineChart draws series of [unix ms, value] points over the last
// windowMs. Options: unit (of the series API), height, windowMs, min0
// (start the y axis at 0, default true), yFormat (overrides the unit's),
// gapMs (a line breaks where two points are further apart: 2.5 s, for
// samples a second apart), hoverMs (how near the pointer a point is read
// out, 5 s), minSpanMs (the least time shown while there is less history:
// a minute), legendUnit (the legend's last entry, "unit: …" by default;
// "" for none).
export class LineChart {
  constructor(container, opts = {}) {
    this.container = container;
    this.opts = Object.assign({ height: 200, windowMs: () => 15 * 60 * 1000, min0: true, gapMs: 2500, hoverMs: 5000, minSpanMs: 60000 }, opts);
    this.fmt = this.opts.yFormat || formatterFor(this.opts.unit);
    this.series = [];
    this.hoverX = null;
    this.root = el("div", { class: "chart" });
    this.legend = el("div", { class: "legend" });
    this.container.append(this.legend, this.root);
    this.width = 0;
  }

  // set replaces the series: [{label, color, points}].
  set(series) {
    this.series = series;
    this.draw();
  }

  draw() {
    const W = Math.max(320, Math.round(this.root.clientWidth || this.container.clientWidth || 600));
    const H = this.opts.height;
    const m = { l: 64, r: 14, t: 10, b: 26 };
    const iw = W - m.l - m.r, ih = H - m.t - m.b;
    const now = Date.now();
    let latest = 0, earliest = Infinity;
    for (const s of this.series) {
      if (!s.points.length) continue;
      latest = Math.max(latest, s.points[s.points.length - 1][0]);
      earliest = Math.min(earliest, s.points[0][0]);
    }
    // The chosen window, or less while there is less history (at least
    // minSpanMs).
    const x1 = Math.max(now, latest);
    const x0 = x1 - Math.min(this.opts.windowMs(), Math.max(this.opts.minSpanMs, x1 - earliest));
    let lo = Infinity, hi = -Infinity, count = 0, drawn = 0;
    for (const s of this.series) {
      let any = false;
      for (const [t, v] of s.points) {
        if (t < x0) continue;
        count++;
        any = true;
        lo = Math.min(lo, v); hi = Math.max(hi, v);
      }
      if (any) drawn++;
    }
    const bytes = this.opts.unit === "bytes" || this.opts.unit === "bytes/s";
    if (!count) { lo = 0; hi = bytes ? 1024 : 1; }
    if (this.opts.min0) lo = Math.min(0, lo);
    if (hi === lo) hi = lo + (Math.abs(lo) || 1);
    const nt = niceTicks(lo, hi, 4, bytes);
    hi = nt.top;
    // Without the 0, the axis starts at the tick below the data.
    if (!this.opts.min0 && nt.ticks.length > 1 && nt.ticks[0] > lo) {
      nt.ticks.unshift(nt.ticks[0] - (nt.ticks[1] - nt.ticks[0]));
      lo = nt.ticks[0];
    }
    const X = (t) => m.l + ((t - x0) / (x1 - x0)) * iw;
    const Y = (v) => m.t + ih - ((v - lo) / (hi - lo)) * ih;

    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "data-points": count, "data-series": drawn });
    const axis = svg("g", { class: "axis" }, root);
    for (const v of nt.ticks) {
      const y = Y(v);
      svg("line", { class: "gridline", x1: m.l, x2: W - m.r, y1: y, y2: y }, root);
      svg("text", { x: m.l - 8, y: y + 4, "text-anchor": "end" }, axis).textContent = this.fmt(v);
    }
    const step = TIME_STEPS.find((s) => iw / ((x1 - x0) / s) >= 70) || TIME_STEPS[TIME_STEPS.length - 1];
    for (let t = Math.ceil(x0 / step) * step; t <= x1; t += step) {
      const x = X(t);
      svg("line", { x1: x, x2: x, y1: m.t + ih, y2: m.t + ih + 4 }, axis);
      const d = new Date(t);
      const p2 = (n) => String(n).padStart(2, "0");
      const label = step >= 86400000 ? `${p2(d.getMonth() + 1)}-${p2(d.getDate())}` : step >= 60000 ? `${p2(d.getHours())}:${p2(d.getMinutes())}` : fmtTime(t);
      svg("text", { x, y: H - 6, "text-anchor": "middle" }, axis).textContent = label;
    }
    svg("line", { x1: m.l, x2: W - m.r, y1: m.t + ih, y2: m.t + ih }, axis);

    this.series.forEach((s) => {
      const pts = s.points.filter((p) => p[0] >= x0);
      if (!pts.length) return;
      // Break the line where a sample is missing (over gapMs apart).
      let d = "", prev = null;
      for (const [t, v] of pts) {
        d += (prev === null || t - prev > this.opts.gapMs ? "M" : "L") + X(t).toFixed(1) + " " + Y(v).toFixed(1);
        prev = t;
      }
      if (this.series.length === 1 && this.opts.min0) {
        const first = pts[0], last = pts[pts.length - 1];
        svg("path", { class: "area", d: `${d}L${X(last[0]).toFixed(1)} ${Y(lo)}L${X(first[0]).toFixed(1)} ${Y(lo)}Z` }, root).style.fill = s.color;
      }
      svg("path", { class: "line", d }, root).style.stroke = s.color;
      const last = pts[pts.length - 1];
      svg("circle", { cx: X(last[0]).toFixed(1), cy: Y(last[1]).toFixed(1), r: 3 }, root).style.fill = s.color;
    });
    if (!count) {
      svg("text", { class: "empty", x: m.l + iw / 2, y: m.t + ih / 2, "text-anchor": "middle" }, root).textContent = this.opts.empty || "no data yet";
    }
    const cross = svg("line", { class: "cross", y1: m.t, y2: m.t + ih, visibility: "hidden" }, root);
    const overlay = svg("rect", { x: m.l, y: m.t, width: iw, height: ih, fill: "transparent" }, root);
    const hover = (ev) => {
      const r = root.getBoundingClientRect();
      const px = ((ev.clientX - r.left) / r.width) * W;
      const t = x0 + ((px - m.l) / iw) * (x1 - x0);
      const rows = [];
      let at = null;
      for (const s of this.series) {
        let best = null;
        for (const p of s.points) if (best === null || Math.abs(p[0] - t) < Math.abs(best[0] - t)) best = p;
        if (best && Math.abs(best[0] - t) < this.opts.hoverMs) {
          at = at ?? best[0];
          rows.push(el("div", { class: "row" }, el("span", { class: "key" }, swatch(s.color), s.label), el("b", { text: this.fmt(best[1]) })));
        }
      }
      if (at === null) { cross.setAttribute("visibility", "hidden"); hideTip(); return; }
      cross.setAttribute("x1", X(at)); cross.setAttribute("x2", X(at));
      cross.setAttribute("visibility", "visible");
      showTip([el("div", { class: "t", text: fmtTime(at, true) }), ...rows], ev.clientX, ev.clientY);
    };
    overlay.addEventListener("mousemove", hover);
    overlay.addEventListener("mouseleave", () => { cross.setAttribute("visibility", "hidden"); hideTip(); });
    this.root.replaceChildren(root);

    const keys = this.series.map((s) => {
      const sw = swatch(s.color);
      const last = s.points.length ? s.points[s.points.length - 1][1] : NaN;
      return el("span", { class: "key" }, sw, `${s.label} `, el("b", { text: s.points.length ? this.fmt(last) : "–" }));
    });
    if (this.opts.legendUnit !== "") keys.push(el("span", { class: "key", text: this.opts.legendUnit ?? `unit: ${this.opts.unit || ""}` }));
    this.legend.replaceChildren(...keys);
  }
}

// ---- segment diagram ------------------------------------------------------

// drawSegments draws a stream's epochs as columns over the key space [0,1)
// (top 0, bottom 1): one box per segment from the first epoch it is in to
// the last. stream is GET /v1/streams/{scope}/{stream}; rates maps a
// segment id to bytes/s (may be empty).
export function drawSegments(container, stream, rates = {}) {
  const epochs = stream.epochs || [];
  const current = new Map((stream.segments || []).map((s) => [String(s.id), s]));
  const W = Math.max(480, Math.round(container.clientWidth || 800));
  const H = 300;
  const m = { l: 44, r: 12, t: 12, b: 40 };
  const iw = W - m.l - m.r, ih = H - m.t - m.b;
  const n = Math.max(1, epochs.length);
  const cw = iw / n;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "data-epochs": epochs.length, id: "segment-diagram" });
  for (const k of [0, 0.25, 0.5, 0.75, 1]) {
    const y = m.t + k * ih;
    svg("line", { class: "gridline", x1: m.l, x2: W - m.r, y1: y, y2: y }, root);
    svg("text", { x: m.l - 8, y: y + 4, "text-anchor": "end" }, root).textContent = String(k);
  }
  svg("text", { x: 10, y: m.t + ih / 2, transform: `rotate(-90 10 ${m.t + ih / 2})`, "text-anchor": "middle" }, root).textContent = "key space";
  // Spans: a segment's consecutive epochs.
  const spans = new Map();
  epochs.forEach((ep, i) => {
    for (const s of ep.segments) {
      const id = String(s.id);
      const sp = spans.get(id);
      if (sp && sp.last === i - 1) sp.last = i;
      else spans.set(id, { id, first: i, last: i, low: s.key_low, high: s.key_high, epoch: ep.epoch });
    }
    const x = m.l + i * cw + cw / 2;
    svg("text", { x, y: H - 22, "text-anchor": "middle" }, root).textContent = `epoch ${ep.epoch}`;
    svg("text", { x, y: H - 8, "text-anchor": "middle" }, root).textContent = ep.created ? fmtTime(Date.parse(ep.created)) : "";
  });
  for (const sp of spans.values()) {
    const cur = current.get(sp.id);
    const active = !!cur && !cur.sealed && !stream.sealed;
    const x = m.l + sp.first * cw + 2, w = (sp.last - sp.first + 1) * cw - 4;
    const y = m.t + sp.low * ih, h = Math.max(2, (sp.high - sp.low) * ih);
    const g = svg("g", { class: "seg-g", "data-segment": sp.id, "data-epoch": sp.epoch }, root);
    const r = svg("rect", { class: "seg " + (active ? "active" : "sealed"), x, y, width: Math.max(2, w), height: h, rx: 4 }, g);
    if (h > 16 && w > 50) {
      svg("text", { class: "seg-label", x: x + 8, y: y + 15 }, g).textContent = segName(sp.id);
    }
    r.addEventListener("mousemove", (ev) => {
      const rows = [
        ["segment", `${sp.id} (${segName(sp.id)})`],
        ["keys", `[${sp.low}, ${sp.high})`],
        ["epochs", sp.first === sp.last ? `${epochs[sp.first].epoch}` : `${epochs[sp.first].epoch}–${epochs[sp.last].epoch}`],
        ["state", active ? "active" : "sealed"],
        ["length", cur ? fmtBytes(cur.length) : "–"],
        ["rate", rates[sp.id] !== undefined ? fmtBytes(rates[sp.id]) + "/s" : "–"],
      ];
      showTip([el("div", { class: "t", text: "Segment" }), ...rows.map(([k, v]) => el("div", { class: "row" }, el("span", { text: k }), el("b", { text: v })))], ev.clientX, ev.clientY);
    });
    r.addEventListener("mouseleave", hideTip);
  }
  container.replaceChildren(root);
}

// segName shows a segment id as epoch.number (the id is epoch<<32 | number).
export function segName(id) {
  const n = BigInt(id);
  return `${n >> 32n}.${n & 0xffffffffn}`;
}
