/* The Change view: trends, hotspots and hidden couplings, drawn as plain SVG.
 *
 * The data comes from /repositories/{name}/trends, /hotspots and /coupling. The tab shows when the
 * server's OpenAPI document lists any of them; in the view, a section whose endpoint answers 404
 * stays out.
 */
"use strict";

const CHANGE_ENDPOINTS = ["trends", "hotspots", "coupling"];
const SVG_NS = "http://www.w3.org/2000/svg";
const SHOWN = 15;

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) if (value !== null && value !== undefined) node.setAttribute(key, value);
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function changeData(name) {
  // Each endpoint on its own: 200 gives data, 404 means this server does not have it, anything else is an error.
  const out = {};
  await Promise.all(CHANGE_ENDPOINTS.map(async (what) => {
    const url = `${API}/repositories/${encodeURIComponent(state.repository)}/${what}`;
    const response = await fetch(url, { headers: tokenHeaders() }).catch(() => null);
    if (!response || response.status === 404) { out[what] = null; return; }
    const body = await response.json().catch(() => ({}));
    out[what] = response.ok ? body : new ApiError(body);
  }));
  return out;
}

async function probeChange() {
  // The OpenAPI document says whether this server has the endpoints, without computing any of them.
  const tab = document.querySelector(".tabs a[data-view=change]");
  if (!tab) return;
  const schema = await fetch("/openapi.json").then((r) => (r.ok ? r.json() : { paths: {} })).catch(() => ({ paths: {} }));
  const paths = Object.keys(schema.paths || {});
  tab.parentElement.hidden = !CHANGE_ENDPOINTS.some((what) => paths.some((p) => new RegExp(`/repositories/\\{[^}]+\\}/${what}$`).test(p)));
  state.changeProbed = true;
}

function lineChart(periods, series, { max, format, height = 220 }) {
  // Points sit in the middle of each period's slot, as the bars below them do; ticks are whole numbers.
  const width = 720, left = 44, right = 16, top = 16, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const slot = plotW / Math.max(1, periods.length);
  const step = Math.max(1, Math.ceil((max || 1) / 4));
  const top_ = step * Math.ceil((max || 1) / step);
  const x = (i) => left + (i + 0.5) * slot;
  const y = (v) => top + plotH - (v / top_) * plotH;
  const ticks = [];
  for (let t = 0; t <= top_; t += step) ticks.push(t);
  const every = Math.max(1, Math.ceil(periods.length / 10));
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img" },
    ticks.map((t) => [svg("line", { x1: left, x2: width - right, y1: y(t), y2: y(t), class: "grid" }),
      svg("text", { x: left - 6, y: y(t) + 4, class: "axis", "text-anchor": "end" }, format(t))]),
    periods.map((p, i) => (i % every === 0 ? svg("text", { x: x(i), y: height - 12, class: "axis", "text-anchor": "middle" }, p) : null)),
    // a period without a value (the truck factor is kept for the last periods and each year's end before them) has
    // no point: the line joins the periods that have one (drawn at 0 they made prometheus's early years a zigzag)
    series.map((s) => [
      svg("polyline", { points: s.values.map((v, i) => (v == null ? null : `${x(i)},${y(v)}`)).filter(Boolean).join(" "), class: `series ${s.class}` }),
      s.values.map((v, i) => (v == null ? null : svg("circle", { cx: x(i), cy: y(v), r: 3.5, class: `dot ${s.class}` },
        svg("title", {}, `${periods[i]}: ${s.label} ${format(v)}`))))]));
}

function barChart(periods, values, { format, height = 180 }) {
  const width = 720, left = 44, right = 16, top = 12, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const slot = plotW / Math.max(1, periods.length);
  const every = Math.max(1, Math.ceil(periods.length / 10));
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img" },
    [0, 0.5, 1].map((t) => [svg("line", { x1: left, x2: width - right, y1: top + plotH - t * plotH, y2: top + plotH - t * plotH, class: "grid" }),
      svg("text", { x: left - 6, y: top + plotH - t * plotH + 4, class: "axis", "text-anchor": "end" }, format(t))]),
    periods.map((p, i) => [
      svg("rect", { x: left + i * slot + slot * 0.15, width: slot * 0.7, y: top + plotH - (values[i] || 0) * plotH, height: (values[i] || 0) * plotH, class: "bar agent" },
        svg("title", {}, `${p}: ${format(values[i] || 0)} of commits agent-assisted`)),
      i % every === 0 ? svg("text", { x: left + i * slot + slot / 2, y: height - 12, class: "axis", "text-anchor": "middle" }, p) : null]));
}

function hotspotChart(hotspots) {
  const rows = hotspots.slice(0, SHOWN);
  const max = Math.max(1, ...rows.map((h) => h.score || 0));
  return el("ol", { class: "hbars", "aria-label": "Hotspots, highest first" }, rows.map((h) => el("li", { "data-path": h.path },
    el("span", { class: "hb-label mono", title: h.path }, h.path),
    el("span", { class: "hb-bar" }, el("i", { style: `width:${(100 * (h.score || 0)) / max}%; background:${TF_COLOURS[Math.min(h.truck_factor ?? 4, 4)]}` })),
    el("span", { class: "hb-meta" }, `${h.changes} changes × ${formatLines(h.lines || 0)} lines`,
      el("span", { class: "muted" }, ` · ${h.component || "no component"} · TF ${fmt(h.truck_factor)}${h.top_holder ? " · " + (typeof h.top_holder === "string" ? h.top_holder : h.top_holder.person || h.top_holder.name) + (h.top_holder_active === false ? " (left)" : "") : ""}`)))));
}

function hotspotsLeftOut(left) {
  const parts = [];
  if (left && left.tests) parts.push(`${left.tests} test file${left.tests === 1 ? "" : "s"}`);
  if (left && left.changed_once) parts.push(`${left.changed_once} file${left.changed_once === 1 ? "" : "s"} changed only once`);
  if (left && left.not_counted) parts.push(`${left.not_counted} documentation, example or vendored file${left.not_counted === 1 ? "" : "s"}`);
  return parts.length ? ` Left out: ${parts.join(", ")}.` : "";
}

function couplingList(pairs) {
  const hidden = pairs.filter((p) => p.imports === false).sort((a, b) => b.degree - a.degree || b.shared - a.shared).slice(0, SHOWN);
  if (!hidden.length) return el("p", { class: "muted" }, "No file pair changes together without an import between them.");
  return el("ol", { class: "hbars couplings", "aria-label": "Hidden couplings, strongest first" }, hidden.map((p) => el("li", {},
    el("span", { class: "hb-label pair mono", title: `${p.a} ↔ ${p.b}` }, el("span", {}, p.a), el("span", {}, el("span", { class: "muted" }, "↔ "), p.b)),
    el("span", { class: "hb-bar" }, el("i", { style: `width:${Math.min(100, p.degree)}%` })),
    el("span", { class: "hb-meta" }, `${Math.round(p.degree)}%`, el("span", { class: "muted" }, ` · together in ${p.shared} of ${p.revs_a} and ${p.revs_b} commits`)))));
}

async function viewChange() {
  const token = navigation;
  clear(view()).append(el("p", { class: "loading" }, "Loading change over time…"));
  const data = await changeData();
  if (stale(token)) return;
  const sections = [];
  const failed = (what) => (data[what] instanceof Error ? errorBox(data[what]) : null);
  if (data.trends && !(data.trends instanceof Error)) {
    const periods = data.trends.periods || [];
    const names = periods.map((p) => p.period);
    const maxTf = Math.max(1, ...periods.map((p) => Math.max(p.truck_factor || 0, p.human_truck_factor || 0)));
    sections.push(el("div", { class: "card", id: "change-trends" }, el("h2", {}, "Truck factor per period"),
      periods.length ? [lineChart(names, [
        { label: "truck factor", class: "tf", values: periods.map((p) => p.truck_factor) },
        { label: "human-knowledge truck factor", class: "htf", values: periods.map((p) => p.human_truck_factor) }],
        { max: Math.ceil(maxTf), format: (v) => String(v) }),
        el("div", { class: "legend flat" }, el("span", {}, el("i", { class: "line tf" }), "truck factor"),
          el("span", {}, el("i", { class: "line htf" }), "human-knowledge truck factor")),
        el("h2", {}, "Agent-assisted share of commits"),
        barChart(names, periods.map((p) => p.agent_share || 0), { format: (v) => `${Math.round(v * 100)}%` })]
        : el("p", { class: "muted" }, "No periods yet.")));
  } else if (failed("trends")) sections.push(failed("trends"));
  if (data.hotspots && !(data.hotspots instanceof Error)) {
    const hotspots = data.hotspots.hotspots || [];
    sections.push(el("div", { class: "card", id: "change-hotspots" }, el("h2", {}, "Hotspots"),
      el("p", { class: "muted" }, "Where change meets size: changes × lines, coloured by the truck factor of the component." +
        hotspotsLeftOut(data.hotspots.left_out)),
      hotspots.length ? hotspotChart(hotspots) : el("p", { class: "muted" }, "No hotspots.")));
  } else if (failed("hotspots")) sections.push(failed("hotspots"));
  if (data.coupling && !(data.coupling instanceof Error)) {
    sections.push(el("div", { class: "card", id: "change-coupling" }, el("h2", {}, "Hidden couplings"),
      el("p", { class: "muted" }, "Files that change together although neither imports the other: an agent reading imports will miss them."),
      couplingList(data.coupling.pairs || [])));
  } else if (failed("coupling")) sections.push(failed("coupling"));
  clear(view()).append(el("section", { "aria-labelledby": "change-title" },
    el("div", { class: "page-head" }, el("h1", { id: "change-title" }, "Change over time")),
    sections.length ? el("div", { class: "stack" }, sections)
      : el("p", { class: "card muted" }, "This server has no trends, hotspots or coupling analysis for the repository.")));
}
