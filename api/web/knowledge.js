/* The knowledge map: a zoomable treemap of the file tree (component → directory → file).
 *
 * Area is lines of code; colour is the truck factor, the orphaned share or the agent share.
 * Each view shows one node and two levels below it (from /repositories/{name}/knowledge-map);
 * a click zooms into a box and asks the server for the next slice, so a large repository is never
 * sent whole. The "what if they leave" people (shared with the bus-factor view) are sent as
 * leaving=; the layout depends on lines only, so the boxes stay put and change colour.
 */
"use strict";

const knowledgeOptions = { colour: "truck_factor" };
const TF_COLOURS = ["#b3261e", "#f28b82", "#fbc26a", "#c5e1a5", "#7cc68f"]; // 0 (nobody), 1, 2, 3, 4 or more
const ORPHAN_RAMP = ["#7cc68f", "#fbe08a", "#f28b82", "#b3261e"];
const AGENT_RAMP = ["#f3f1fb", "#c9bdf0", "#9579e0", "#5b3cc4"];
const HEADER = 20;
const GAP = 2;

function put(node, ...children) {
  clear(node);
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}
function hexToRgb(hex) { const n = parseInt(hex.slice(1), 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; }
function ramp(stops, t) {
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const a = hexToRgb(stops[i]), b = hexToRgb(stops[i + 1]);
  const mix = a.map((v, k) => Math.round(v + (b[k] - v) * (x - i)));
  return `rgb(${mix.join(",")})`;
}
function textOn(colour) {
  const [r, g, b] = colour.startsWith("#") ? hexToRgb(colour) : colour.match(/\d+/g).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#17202e" : "#ffffff";
}

function knowledgeColour(node) {
  if (knowledgeOptions.colour === "orphaned") return ramp(ORPHAN_RAMP, node.orphaned_share);
  if (knowledgeOptions.colour === "agent_share") return node.agent_share === null || node.agent_share === undefined ? "#e3e6eb" : ramp(AGENT_RAMP, node.agent_share);
  return TF_COLOURS[Math.min(node.truck_factor, 4)];
}

/* Squarified treemap (Bruls, Huizing, van Wijk): rectangles for values, as square as the row allows. */
function squarify(values, x, y, w, h) {
  const total = values.reduce((a, b) => a + b, 0);
  if (!total || w <= 0 || h <= 0) return values.map(() => ({ x, y, w: 0, h: 0 }));
  const scale = (w * h) / total;
  const areas = values.map((v) => v * scale);
  const out = [];
  let row = [];
  const worst = (r, side) => {
    const s = r.reduce((a, b) => a + b, 0);
    return Math.max(...r.map((a) => Math.max((side * side * a) / (s * s), (s * s) / (side * side * a))));
  };
  const place = (r) => {
    const s = r.reduce((a, b) => a + b, 0);
    if (w >= h) {
      const cw = s / h;
      let cy = y;
      r.forEach((a) => { out.push({ x, y: cy, w: cw, h: a / cw }); cy += a / cw; });
      x += cw; w -= cw;
    } else {
      const rh = s / w;
      let cx = x;
      r.forEach((a) => { out.push({ x: cx, y, w: a / rh, h: rh }); cx += a / rh; });
      y += rh; h -= rh;
    }
  };
  let i = 0;
  while (i < areas.length) {
    const side = Math.min(w, h);
    const next = row.concat([areas[i]]);
    if (!row.length || worst(row, side) >= worst(next, side)) { row = next; i++; } else { place(row); row = []; }
  }
  if (row.length) place(row);
  return out;
}

const nodeKey = (n) => `${n.kind}|${n.component ?? ""}|${n.path ?? ""}|${n.name}`;
const nodeSize = (n) => Math.max(1, n.lines || 0);
const drillable = (n) => n.kind !== "more" && n.kind !== "file" && n.child_count > 0;
const formatLines = (n) => (n >= 10000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

function knowledgeQuery(params, leaving) {
  const q = new URLSearchParams();
  if (params.component) q.set("component", params.component);
  if (params.path) q.set("path", params.path);
  q.set("depth", "2");
  leaving.forEach((p) => q.append("leaving", p));
  return `/repositories/${encodeURIComponent(state.repository)}/knowledge-map?${q}`;
}

function knowledgeHash(params) {
  const q = new URLSearchParams();
  if (params.component) q.set("component", params.component);
  if (params.path) q.set("path", params.path);
  const s = q.toString();
  return `#/knowledge${s ? "?" + s : ""}`;
}

function hoverCard(node, measure) {
  const share = (v) => `${Math.round(v * 100)}%`;
  const kindName = { repository: "repository", component: "component", directory: "directory", file: "file", more: "smaller entries" }[node.kind];
  const change = node.last_human_change;
  return [
    el("div", { class: "hc-title" }, el("strong", {}, node.name), el("span", { class: "muted" }, ` ${kindName}`)),
    node.path && node.kind !== "file" ? el("div", { class: "mono muted hc-path" }, node.path) : null,
    el("div", { class: "hc-stats" },
      el("span", {}, el("b", {}, measure === "lines" ? formatLines(node.lines) : node.files), measure === "lines" ? " lines" : " files"),
      node.kind !== "file" ? el("span", {}, el("b", {}, node.files), ` file${node.files === 1 ? "" : "s"}`) : null,
      el("span", {}, "TF ", el("b", {}, node.truck_factor)),
      el("span", {}, el("b", {}, node.orphaned_files), ` orphaned (${share(node.orphaned_share)})`),
      node.agent_share !== null && node.agent_share !== undefined ? el("span", {}, el("b", {}, share(node.agent_share)), " by agents") : null),
    el("div", { class: "hc-label" }, node.kind === "file" ? "Authors" : "Holders"),
    (node.kind === "file" ? node.authors || [] : node.holders).length
      ? el("ul", { class: "hc-holders" }, (node.kind === "file" ? node.authors : node.holders).slice(0, 5).map((h) => el("li", { class: h.active ? "" : "gone" },
          h.person, h.files !== undefined ? el("span", { class: "muted" }, ` ${h.files} file${h.files === 1 ? "" : "s"}`) : null,
          h.active ? null : el("span", { class: "muted" }, " · gone"))))
      : el("p", { class: "muted" }, "Nobody: no author left."),
    node.holder_count > (node.holders || []).length && node.kind !== "file" ? el("div", { class: "muted" }, `and ${node.holder_count - node.holders.length} more`) : null,
    el("div", { class: "hc-label" }, "Last human change"),
    change ? el("div", {}, change.person, el("span", { class: "muted" }, ` · ${String(change.date).slice(0, 10)}`),
      node.kind !== "file" ? el("div", { class: "mono muted hc-path" }, change.path) : null)
      : el("div", { class: "muted" }, "None recorded"),
    drillable(node) ? el("div", { class: "hc-hint" }, "Click to open") : null,
  ];
}

async function viewKnowledge(query) {
  const token = navigation;
  const params = { component: query.get("component") || null, path: query.get("path") || null };
  const crumbs = el("nav", { class: "crumbs", "aria-label": "Where you are in the tree" });
  const colour = el("select", { id: "km-colour", "aria-label": "Colour by" },
    [["truck_factor", "Colour: truck factor"], ["orphaned", "Colour: orphaned files"], ["agent_share", "Colour: agent share"]]
      .map(([v, t]) => el("option", { value: v, selected: v === knowledgeOptions.colour }, t)));
  const legend = el("div", { class: "km-legend", "aria-label": "Colour legend" });
  const input = el("input", { type: "text", id: "km-leaving-input", list: "km-people", placeholder: "Name or e-mail", "aria-label": "Person who leaves" });
  const people = el("datalist", { id: "km-people" });
  const chips = el("p", { class: "leaving-chips", id: "km-leaving" });
  const message = el("div", { "aria-live": "polite" });
  const layer = el("div", { class: "tm-layer" });
  const map = el("div", { id: "treemap", class: "treemap", role: "group", "aria-label": "Treemap of the file tree" }, layer);
  const card = el("div", { class: "hover-card", id: "km-card", hidden: true, role: "tooltip" });
  const form = el("form", { class: "whatif", id: "km-whatif", "aria-label": "What if people leave" }, input, people,
    el("button", { type: "submit", id: "km-whatif-add" }, "Leave"));
  clear(view()).append(el("section", { "aria-labelledby": "km-title" },
    el("div", { class: "page-head" }, el("h1", { id: "km-title" }, "Knowledge map"),
      el("p", {}, "Area is lines of code. Click a box to open it; hover for who knows it.")),
    el("div", { class: "card km-wrap" },
      el("div", { class: "km-toolbar" }, crumbs, el("div", { class: "km-controls" }, colour, form)),
      chips, message, map, legend),
    card));
  state.knowledge = { data: null, laidOut: false };
  let data = null;

  const load = () => api(knowledgeQuery(params, state.leaving), { noRepository: true });
  try { data = await load(); } catch (error) { if (!stale(token)) clear(message).append(errorBox(error)); return; }
  if (stale(token)) return;
  if (data.agent_share_known === false) colour.querySelector("option[value=agent_share]").disabled = true;
  if (!data.agent_share_known && knowledgeOptions.colour === "agent_share") { knowledgeOptions.colour = "truck_factor"; colour.value = "truck_factor"; }
  render();
  window.addEventListener("resize", onResize);

  function onResize() {
    if (stale(token)) { window.removeEventListener("resize", onResize); return; }
    render();
  }

  function render() {
    state.knowledge.data = data;
    renderCrumbs();
    renderChips();
    renderLegend();
    put(people, (data.root.holders || []).map((h) => el("option", { value: h.person })));
    const width = map.clientWidth, height = map.clientHeight;
    const existing = new Map([...layer.querySelectorAll(".tm-box")].map((b) => [b.dataset.key, b]));
    const used = new Set();
    const kids = data.root.children || [];
    const rects = squarify(kids.map(nodeSize), 0, 0, width, height);
    kids.forEach((child, i) => {
      const r = rects[i];
      const box = placeBox(existing, used, child, r, 1, layer);
      const grand = child.children || [];
      const inner = { x: GAP, y: HEADER, w: r.w - 2 * GAP, h: r.h - HEADER - GAP };
      if (grand.length && inner.w > 24 && inner.h > 18) {
        box.classList.add("has-inner");
        const sub = squarify(grand.map(nodeSize), inner.x, inner.y, inner.w, inner.h);
        grand.forEach((g, j) => placeBox(existing, used, g, sub[j], 2, box));
      } else {
        box.classList.remove("has-inner");
      }
    });
    existing.forEach((b, key) => { if (!used.has(key)) b.remove(); });
    if (!kids.length) clear(layer).append(el("p", { class: "muted km-empty" }, `${data.root.name} has nothing below it.`));
    state.knowledge.laidOut = true;
    announce(`Knowledge map of ${data.root.name}`);
  }

  function placeBox(existing, used, node, r, level, parent) {
    const key = `${level}|${nodeKey(node)}`;
    let box = existing.get(key);
    if (!box || box.parentElement !== parent) {
      box = el("div", { class: `tm-box level-${level}` }, el("span", { class: "tm-label" }), el("span", { class: "tm-detail" }));
      box.dataset.key = key;
      box.addEventListener("mousemove", (event) => { event.stopPropagation(); showCard(node, event); });
      box.addEventListener("mouseleave", () => { card.hidden = true; });
      parent.append(box);
    }
    box.cairnNode = node; // the latest data for this box, for the hover card and the click
    used.add(key);
    Object.assign(box.dataset, { name: node.name, kind: node.kind, level: String(level) });
    const fill = knowledgeColour(node);
    Object.assign(box.style, { left: `${r.x + (level === 1 ? GAP / 2 : 1)}px`, top: `${r.y + (level === 1 ? GAP / 2 : 1)}px`,
      width: `${Math.max(0, r.w - (level === 1 ? GAP : 2))}px`, height: `${Math.max(0, r.h - (level === 1 ? GAP : 2))}px`,
      backgroundColor: fill, color: textOn(fill) });
    const label = box.querySelector(":scope > .tm-label");
    const big = r.w > 46 && r.h > (level === 1 ? 18 : 16);
    put(label, big ? node.name : "", big && r.w > 130 && level === 1 ? el("span", { class: "tm-size" }, formatLines(node.lines)) : null);
    // A large box with nothing drawn inside it says who knows it and when a person last changed it.
    const roomy = level === 1 && r.w > 150 && r.h > 64 && !(node.children || []).length;
    const people = (node.kind === "file" ? node.authors || [] : node.holders || []).slice(0, 3)
      .map((h) => `${h.person}${h.active ? "" : " (gone)"}`).join(", ");
    const change = node.last_human_change;
    put(box.querySelector(":scope > .tm-detail"), roomy ? [
      el("span", {}, people || "no author left"),
      change ? el("span", {}, `changed ${String(change.date).slice(0, 10)} by ${change.person}`) : null] : null);
    box.classList.toggle("drillable", drillable(node) || (level === 2 && drillable(box.parentElement.cairnNode || {})));
    box.onclick = (event) => {
      event.stopPropagation();
      const target = level === 1 ? node : box.parentElement.cairnNode;
      if (target && drillable(target)) zoomInto(target, level === 1 ? box : box.parentElement);
    };
    box.title = "";
    return box;
  }

  function showCard(node, event) {
    const live = (event.currentTarget && event.currentTarget.cairnNode) || node;
    put(card, hoverCard(live, data.size_measure));
    card.hidden = false;
    const pad = 16, cw = card.offsetWidth, ch = card.offsetHeight;
    let x = event.clientX + pad, y = event.clientY + pad;
    if (x + cw > window.innerWidth - 8) x = event.clientX - cw - pad;
    if (y + ch > window.innerHeight - 8) y = Math.max(8, window.innerHeight - ch - 8);
    card.style.left = `${x}px`;
    card.style.top = `${y}px`;
  }

  async function zoomInto(node, box) {
    card.hidden = true;
    const next = { component: node.component, path: node.path };
    const w = map.clientWidth, h = map.clientHeight;
    const bx = box.offsetLeft, by = box.offsetTop, bw = box.offsetWidth, bh = box.offsetHeight;
    layer.classList.add("zooming");
    layer.style.transformOrigin = "0 0";
    layer.style.transform = `translate(${-bx * (w / bw)}px, ${-by * (h / bh)}px) scale(${w / bw}, ${h / bh})`;
    let fresh;
    try {
      // Let the zoom finish (it is as long as the CSS transition) while the slice loads.
      [fresh] = await Promise.all([api(knowledgeQuery(next, state.leaving), { noRepository: true }), new Promise((r) => setTimeout(r, 320))]);
    } catch (error) {
      layer.classList.remove("zooming"); layer.style.transform = "";
      clear(message).append(errorBox(error));
      return;
    }
    if (stale(token)) return;
    history.pushState(null, "", knowledgeHash(next));
    params.component = next.component; params.path = next.path;
    data = fresh;
    layer.classList.remove("zooming");
    layer.style.transform = "";
    clear(layer);
    render();
  }

  function renderCrumbs() {
    const items = data.breadcrumbs.map((c) => el("a", { href: knowledgeHash(c) }, c.kind === "repository" ? c.name : c.name));
    put(crumbs, items.flatMap((a) => [a, el("span", { class: "sep", "aria-hidden": "true" }, "›")]),
      el("strong", { "aria-current": "page" }, data.root.kind === "repository" ? data.root.name : data.root.name),
      el("span", { class: "muted" }, `  ${formatLines(data.root.lines)} lines · ${data.root.files} files · TF ${data.root.truck_factor}`));
  }

  function renderChips() {
    put(chips, state.leaving.length ? el("span", { class: "muted" }, "Without: ") : null,
      state.leaving.map((who) => el("span", { class: "chip" }, who,
        el("button", { type: "button", "aria-label": `Remove ${who}`, onclick: () => { state.leaving = state.leaving.filter((p) => p !== who); refresh(); } }, "×"))));
  }

  function renderLegend() {
    const stops = knowledgeOptions.colour === "orphaned" ? ORPHAN_RAMP : AGENT_RAMP;
    put(legend, knowledgeOptions.colour === "truck_factor"
      ? [el("span", { class: "muted" }, "Truck factor"),
         TF_COLOURS.map((c, i) => el("span", { class: "km-swatch" }, el("i", { style: `background:${c}` }), i === 0 ? "0 (nobody)" : i === 4 ? "4+" : String(i)))]
      : [el("span", { class: "muted" }, knowledgeOptions.colour === "orphaned" ? "Files with no author left" : "Changes by agents"),
         el("span", {}, "0%"), el("i", { class: "km-ramp", style: `background:linear-gradient(90deg, ${stops.join(", ")})` }), el("span", {}, "100%")],
      el("span", { class: "muted km-hint" }, data.size_measure === "lines" ? "Area: lines of code" : "Area: files (re-ingest for lines)"));
  }

  async function refresh() {
    clear(message);
    try {
      data = await load();
    } catch (error) {
      const who = state.leaving.pop();
      clear(message).append(errorBox(error));
      renderChips();
      announce(`Could not remove ${who}`);
      return;
    }
    if (stale(token)) return;
    render();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const who = input.value.trim();
    if (who && !state.leaving.includes(who)) { state.leaving.push(who); input.value = ""; refresh(); }
  });
  colour.addEventListener("change", () => { knowledgeOptions.colour = colour.value; render(); });
  map.addEventListener("mouseleave", () => { card.hidden = true; });
}
