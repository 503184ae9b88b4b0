/* The architecture map: components as a layered graph, dependencies pointing down, laid out by ELK.
 *
 * Nested components (a name under another component's name, "storage/remote" in "storage", or a
 * `parent` property) are drawn inside a frame for their parent, beside a box for the parent's own
 * code, and can be folded into one box. Edge width grows with the import count (weak edges are
 * fainter); edges inside an import cycle are tinted orange and the ones drawn pointing up, which
 * close the cycles, dashed; edges that break a rule are red. Filters (risk, name, external
 * packages) and the focus mode (a component with its neighbours) rebuild the graph and lay it out
 * again. A click opens the card in a drawer over the map. Uses el/api/clear/... from app.js.
 */
"use strict";

const mapOptions = { risk: "all", query: "", externals: false, focus: null, collapsed: null };
const MAP_PADDING = { top: 34, side: 12 }; // ELK padding of a parent: room for its label above its box
const LABEL_FONT = "600 13px system-ui, sans-serif";
const STATS_FONT = "11px system-ui, sans-serif";
const EXTERNALS_SHOWN = 20;

let measureContext = null;
function textWidth(text, font) {
  measureContext = measureContext || document.createElement("canvas").getContext("2d");
  measureContext.font = font;
  return Math.ceil(measureContext.measureText(text).width);
}

// -- the model: components, their nesting, edges, cycles and violations ----------------------------

function parentName(component, names) {
  if (component.parent && names.has(component.parent) && component.parent !== component.name) return component.parent;
  const parts = component.name.split("/");
  for (let cut = parts.length - 1; cut > 0; cut--) {
    const prefix = parts.slice(0, cut).join("/");
    if (names.has(prefix)) return prefix;
  }
  return null;
}

function stronglyConnected(names, edges) {
  // Tarjan's algorithm, iterative: component name -> id of its strongly connected set, and each set's size.
  const succ = new Map(names.map((n) => [n, []]));
  edges.forEach((e) => succ.get(e.source).push(e.target));
  const index = new Map(), low = new Map(), onStack = new Set(), stack = [], sccOf = new Map(), sizes = [];
  let counter = 0;
  for (const start of names) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      if (i === 0) { index.set(v, counter); low.set(v, counter); counter++; stack.push(v); onStack.add(v); }
      const next = succ.get(v);
      if (i < next.length) {
        frame[1]++;
        const w = next[i];
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length) { const parent = work[work.length - 1][0]; low.set(parent, Math.min(low.get(parent), low.get(v))); }
      if (low.get(v) === index.get(v)) {
        const id = sizes.length;
        let w, size = 0;
        do { w = stack.pop(); onStack.delete(w); sccOf.set(w, id); size++; } while (w !== v);
        sizes.push(size);
      }
    }
  }
  return { sccOf, sizes };
}

function buildMapModel(components, deps, check) {
  const names = new Set(components.map((c) => c.name));
  const byName = new Map(components.map((c) => [c.name, { ...c, children: [] }]));
  for (const c of byName.values()) c.parentName = parentName(c, names);
  for (const c of byName.values()) if (c.parentName) byName.get(c.parentName).children.push(c.name);
  const edges = deps.edges.filter((e) => names.has(e.source) && names.has(e.target) && e.source !== e.target)
    .map((e) => ({ source: e.source, target: e.target, count: e.count || 1 }));
  const { sccOf, sizes } = stronglyConnected([...names], edges);
  const violations = new Map();
  for (const f of (check && check.findings) || []) {
    if (!f.source_component || !f.target_component || f.source_component === f.target_component) continue;
    const key = `${f.source_component}\u0000${f.target_component}`;
    if (!violations.has(key)) violations.set(key, []);
    violations.get(key).push(f);
  }
  edges.forEach((e) => {
    e.cycle = sccOf.get(e.source) === sccOf.get(e.target) && sizes[sccOf.get(e.source)] > 1;
    e.violations = violations.get(`${e.source}\u0000${e.target}`) || [];
  });
  return { byName, edges, externals: null };
}

function ancestors(model, name) {
  const out = [];
  for (let p = model.byName.get(name).parentName; p; p = model.byName.get(p).parentName) out.push(p);
  return out;
}

function descendants(model, name) {
  const out = [];
  const walk = (n) => model.byName.get(n).children.forEach((c) => { out.push(c); walk(c); });
  walk(name);
  return out;
}

function passesFilters(c) {
  if (mapOptions.risk !== "all" && componentRisk(c) !== mapOptions.risk) return false;
  return !mapOptions.query || c.name.toLowerCase().includes(mapOptions.query.toLowerCase());
}

/* What to draw now: the components that pass the filters (and the focus), their ancestors as
   containers, collapsed parents standing for their descendants, and the edges between what is drawn. */
function visibleGraph(model) {
  const byName = model.byName;
  let keep = new Set([...byName.values()].filter(passesFilters).map((c) => c.name));
  if (mapOptions.focus && byName.has(mapOptions.focus)) {
    const core = new Set([mapOptions.focus, ...descendants(model, mapOptions.focus)]);
    const near = new Set(core);
    model.edges.forEach((e) => {
      if (core.has(e.source)) near.add(e.target);
      if (core.has(e.target)) near.add(e.source);
    });
    keep = new Set([...keep].filter((n) => near.has(n)));
    keep.add(mapOptions.focus);
  }
  const shown = new Set(keep);
  keep.forEach((n) => ancestors(model, n).forEach((a) => shown.add(a)));
  const rep = (n) => { // the drawn node that stands for n: its outermost collapsed ancestor, or itself
    let out = n;
    for (const a of ancestors(model, n)) if (mapOptions.collapsed.has(a)) out = a;
    return out;
  };
  const nodes = [];
  for (const name of [...shown].sort()) {
    if (rep(name) !== name) continue;
    const c = byName.get(name);
    const hidden = descendants(model, name);
    const collapsed = mapOptions.collapsed.has(name) && hidden.length > 0;
    const isParent = !collapsed && c.children.some((k) => shown.has(k));
    // An open parent is a frame; its own code is a box inside it, named like the component, that its edges meet.
    nodes.push({ component: c, context: !keep.has(name), collapsed, hiddenCount: collapsed ? hidden.length : 0,
      isParent, hasSelf: !isParent || c.files > 0 || c.modules > 0 });
  }
  const drawn = new Set(nodes.filter((n) => n.hasSelf).map((n) => n.component.name));
  const merged = new Map();
  for (const e of model.edges) {
    if (!keep.has(e.source) || !keep.has(e.target)) continue;
    const s = rep(e.source), t = rep(e.target);
    if (s === t || !drawn.has(s) || !drawn.has(t)) continue;
    const key = `${s}\u0000${t}`;
    const m = merged.get(key) || { source: s, target: t, count: 0, cycle: false, violations: [] };
    m.count += e.count; m.cycle = m.cycle || e.cycle; m.violations = m.violations.concat(e.violations);
    merged.set(key, m);
  }
  const externals = [];
  if (mapOptions.externals && model.externals) {
    const uses = new Map();
    for (const e of model.externals) {
      if (!keep.has(e.source)) continue;
      const s = rep(e.source);
      if (!drawn.has(s)) continue;
      const key = `${s}\u0000${e.target}`;
      const m = uses.get(key) || { source: s, target: e.target, count: 0, external: true, cycle: false, violations: [] };
      m.count += e.count;
      uses.set(key, m);
    }
    const users = new Map();
    uses.forEach((m) => users.set(m.target, (users.get(m.target) || 0) + 1));
    const top = new Set([...users.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, EXTERNALS_SHOWN).map((x) => x[0]));
    top.forEach((name) => externals.push(name));
    uses.forEach((m) => { if (top.has(m.target)) merged.set(`${m.source}\u0000ext:${m.target}`, { ...m, target: `external:${m.target}` }); });
    model.externalsHidden = users.size - top.size;
  }
  return { nodes, edges: [...merged.values()], externals };
}

function mapElements(model, graph) {
  const maxCount = Math.max(1, ...graph.edges.map((e) => e.count));
  const frames = new Set(graph.nodes.filter((n) => n.isParent).map((n) => n.component.name));
  const frameOf = (c) => (frames.has(c.parentName) ? `group:${c.parentName}` : undefined);
  const elements = [];
  graph.nodes.forEach(({ component: c, context, collapsed, hiddenCount, isParent, hasSelf }) => {
    // "storage/remote" in its frame "storage" is "remote"; a part named on its own ("test-framework" in "tools") keeps its name
    const short = c.parentName && c.name.startsWith(`${c.parentName}/`) ? c.name.slice(c.parentName.length + 1) : c.name;
    const label = collapsed ? `${short}  ▸ +${hiddenCount}` : short;
    const stats = `TF ${tfText(c.truck_factor)} · ${c.files} file${c.files === 1 ? "" : "s"}`;
    const risk = componentRisk(c);
    const labelWidth = textWidth(label, LABEL_FONT);
    if (isParent) {
      elements.push({ group: "nodes", classes: `group ${context ? "context" : ""}`,
        data: { id: `group:${c.name}`, component: c.name, parent: frameOf(c), label, risk, width: labelWidth + 16, labelWidth, labelShift: 0 } });
    }
    if (hasSelf) {
      elements.push({ group: "nodes", classes: ["leaf", collapsed ? "collapsed" : "", context ? "context" : "", isParent ? "self" : ""].join(" "),
        data: { id: c.name, component: c.name, parent: isParent ? `group:${c.name}` : frameOf(c), label: `${label}\n${stats}`, risk,
          width: Math.max(labelWidth, textWidth(stats, STATS_FONT)) + 28, labelWidth, labelShift: 0 } });
    }
  });
  graph.externals.forEach((name) => elements.push({ group: "nodes", classes: "external",
    data: { id: `external:${name}`, label: name, risk: "external", width: textWidth(name, STATS_FONT) + 24, labelWidth: 0 } }));
  graph.edges.forEach((e) => {
    const classes = [e.cycle ? "cycle" : "", e.violations.length ? "violation" : "", e.external ? "external" : ""].join(" ");
    elements.push({ group: "edges", classes, data: {
      id: `${e.source}->${e.target}`, source: e.source, target: e.target, count: e.count,
      width: 1.2 + 5 * Math.log1p(e.count) / Math.log1p(maxCount),
      weight: 0.35 + 0.6 * Math.log1p(e.count) / Math.log1p(maxCount), // strong dependencies stand out, weak ones recede
      title: e.violations.length ? e.violations[0].message : e.cycle ? "part of an import cycle" : "",
    } });
  });
  return elements;
}

const MAP_STYLE = [
  { selector: "node", style: {
    shape: "round-rectangle", label: "data(label)", "text-wrap": "wrap", "text-valign": "center", "text-halign": "center",
    "font-family": "system-ui, sans-serif", "font-size": 13, "font-weight": 600, color: "#1b2230", "line-height": 1.35,
    width: "data(width)", height: 46, "border-width": 2,
  } },
  { selector: "node.group", style: {
    // The label sits above the box, at its left end (where fewer edges arrive), on a white tab.
    "text-valign": "top", "text-margin-y": -5, "text-margin-x": "data(labelShift)", "font-size": 13,
    "text-background-color": "#ffffff", "text-background-opacity": 1, "text-background-padding": "3px",
    "text-background-shape": "round-rectangle", padding: `${MAP_PADDING.side}px`, "background-opacity": 0.3,
    "min-width": (n) => n.data("labelWidth") + 16, "min-width-bias-left": "50%", "min-width-bias-right": "50%",
    "compound-sizing-wrt-labels": "exclude",
  } },
  { selector: "node[risk = 'risk']", style: { "background-color": "#fdecea", "border-color": "#b8322a" } },
  { selector: "node[risk = 'ok']", style: { "background-color": "#e6f4ec", "border-color": "#26734a" } },
  { selector: "node[risk = 'unknown']", style: { "background-color": "#eef1f5", "border-color": "#7b8494" } },
  { selector: "node.collapsed", style: { "border-style": "double", "border-width": 5 } },
  { selector: "node.context", style: { opacity: 0.55, "border-style": "dashed" } },
  { selector: "node.external", style: { shape: "round-tag", "background-color": "#f6f7f9", "border-color": "#b5bcc8", "border-width": 1,
    "font-size": 11, "font-weight": 400, color: "#5a6372", height: 26 } },
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#2f5bd3", "overlay-opacity": 0 } },
  { selector: "edge", style: {
    width: "data(width)", "line-color": "#9aa5b8", "target-arrow-color": "#9aa5b8", "target-arrow-shape": "triangle",
    "curve-style": "bezier", "arrow-scale": 0.9, opacity: "data(weight)", "font-size": 11, color: "#1b2230",
    "z-compound-depth": "bottom", // under every box, so no edge crosses a parent's label
    "text-background-color": "#ffffff", "text-background-opacity": 1, "text-background-padding": "2px",
  } },
  { selector: "edge.external", style: { "line-style": "dotted", "line-color": "#c3c9d3", "target-arrow-color": "#c3c9d3" } },
  // Inside an import cycle: tinted; the edges that point up (against the layering) close the cycles: dashed.
  { selector: "edge.cycle", style: { "line-color": "#ecb27a", "target-arrow-color": "#ecb27a" } },
  { selector: "edge.cycle.feedback", style: { "line-color": "#d46b08", "target-arrow-color": "#d46b08", "line-style": "dashed", "line-dash-pattern": [8, 4], opacity: 1 } },
  { selector: "edge.violation", style: { "line-color": "#c0262d", "target-arrow-color": "#c0262d", opacity: 1 } },
  { selector: "edge.highlight", style: { "line-color": "#2f5bd3", "target-arrow-color": "#2f5bd3", label: "data(count)", opacity: 1, "z-index": 10 } },
  { selector: "edge.highlight.violation", style: { "line-color": "#c0262d", "target-arrow-color": "#c0262d" } },
  { selector: "edge.faded", style: { opacity: 0.12 } },
];

function elkOptions() {
  return {
    algorithm: "layered",
    "elk.direction": "DOWN",
    "elk.hierarchyHandling": "SEPARATE_CHILDREN", // each frame laid out on its own, with the edges lifted to its level
    // Cytoscape draws its own straight edges: ELK need not keep channels between layers for orthogonal routes.
    "elk.edgeRouting": "POLYLINE",
    "elk.layered.spacing.nodeNodeBetweenLayers": 44,
    "elk.spacing.nodeNode": 24,
    "elk.layered.spacing.edgeNodeBetweenLayers": 12,
    "elk.layered.spacing.edgeEdgeBetweenLayers": 6,
    "elk.spacing.edgeNode": 12,
    "elk.spacing.componentComponent": 40,
    "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
    "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
    "elk.layered.cycleBreaking.strategy": "GREEDY",
    "elk.separateConnectedComponents": true,
    "elk.aspectRatio": 1.6,
  };
}

function nodeLayoutOptions(node) {
  if (!node.isParent()) return {};
  const minWidth = node.data("labelWidth") + 16 + 2 * MAP_PADDING.side;
  return {
    "elk.padding": `[top=${MAP_PADDING.top},left=${MAP_PADDING.side},bottom=${MAP_PADDING.side},right=${MAP_PADDING.side}]`,
    "elk.nodeSize.constraints": "[MINIMUM_SIZE]",
    "elk.nodeSize.minimum": `(${minWidth}, 40)`,
    "elk.contentAlignment": "[H_CENTER, V_TOP]",
  };
}

/* Lay the drawn graph out with ELK, one level of nesting at a time.
   Each frame is laid out inside (its children, and the edges between them), then placed as one box
   among its siblings; an edge between boxes in different frames counts, for the layering, as an edge
   between the outermost frames that hold its ends below their common frame. So dependencies point
   down at every level, and no box can overlap another: each level is one ELK layered layout. */
function layeredLayout(cy) {
  const root = { id: "root", layoutOptions: elkOptions(), children: [], edges: [] };
  const boxes = new Map();
  cy.nodes().forEach((n) => {
    const box = { id: n.id() };
    if (n.isParent()) Object.assign(box, { children: [], edges: [], layoutOptions: { ...elkOptions(), ...nodeLayoutOptions(n) } });
    else { const d = n.layoutDimensions({}); Object.assign(box, { width: d.w, height: d.h }); }
    boxes.set(n.id(), box);
  });
  cy.nodes().forEach((n) => { (n.parent().nonempty() ? boxes.get(n.parent().id()) : root).children.push(boxes.get(n.id())); });
  const lifted = new Set();
  cy.edges().forEach((e) => {
    const targetFrames = new Set(e.target().ancestors().map((a) => a.id()));
    let common = null, from = e.source();
    for (const a of e.source().ancestors()) { if (targetFrames.has(a.id())) { common = a; break; } from = a; }
    let to = e.target();
    for (const a of e.target().ancestors()) { if (common && a.id() === common.id()) break; to = a; }
    const key = `${from.id()}\u0000${to.id()}`;
    if (from.id() === to.id() || lifted.has(key)) return;
    lifted.add(key);
    (common ? boxes.get(common.id()) : root).edges.push({ id: `lifted${lifted.size}`, sources: [from.id()], targets: [to.id()] });
  });
  return new ELK().layout(root).then((result) => {
    if (cy.destroyed()) return; // the page moved on while ELK worked: its caller checks that too
    const centres = new Map();
    const place = (box, x0, y0) => (box.children || []).forEach((c) => {
      if (c.children && c.children.length) place(c, x0 + c.x, y0 + c.y);
      else centres.set(c.id, { x: x0 + c.x + c.width / 2, y: y0 + c.y + c.height / 2 });
    });
    place(result, 0, 0);
    cy.batch(() => cy.nodes().forEach((n) => { if (!n.isParent() && centres.has(n.id())) n.position(centres.get(n.id())); }));
  });
}

// -- the view ------------------------------------------------------------------------------------

async function viewMap(selected) {
  const token = navigation;
  if (!mapOptions.collapsed) mapOptions.collapsed = new Set();
  state.mapLaidOut = false;
  // The card opens in a drawer over the right of the map, so the map has the page's whole width.
  const side = el("aside", { id: "side", class: "drawer", "aria-label": "Component card", hidden: true });
  const index = el("ul", { class: "component-index", "aria-label": "Components" });
  const search = el("input", { type: "search", id: "map-filter", placeholder: "Filter components…", value: mapOptions.query, "aria-label": "Filter components by name" });
  const risk = el("select", { id: "map-risk", "aria-label": "Filter by knowledge risk" },
    [["all", "Every risk"], ["risk", "At risk"], ["ok", "Healthy"], ["unknown", "No truck factor"]].map(([v, t]) => el("option", { value: v, selected: v === mapOptions.risk }, t)));
  const externals = el("input", { type: "checkbox", id: "map-externals", checked: mapOptions.externals });
  const focusBar = el("div", { class: "focus-bar", hidden: true });
  const note = el("p", { class: "map-note muted", "aria-live": "polite" });
  const canvas = el("div", { id: "cy", role: "img", "aria-label": "Layered graph of components; arrows point from a component to what it depends on" });
  const root = el("section", { "aria-labelledby": "map-title" },
    el("div", { class: "page-head" }, el("h1", { id: "map-title" }, "Architecture map"),
      el("p", {}, "Arrows point down, from a component to what it depends on. Nested components sit inside their parent; double-click a parent to fold it.")),
    el("div", { class: "stack" },
        el("div", { class: "card map-wrap" },
          el("div", { class: "map-toolbar" }, search, risk,
            el("label", { class: "check" }, externals, "external packages"),
            el("button", { type: "button", class: "secondary", id: "map-collapse" }, "Fold all"),
            el("button", { type: "button", class: "secondary", id: "map-expand" }, "Unfold all"),
            el("button", { type: "button", class: "secondary", id: "map-fit" }, "Fit")),
          focusBar, el("div", { class: "map-stage" }, canvas, side),
          el("div", { class: "legend" },
            el("span", {}, el("i", { class: "swatch risk" }), "knowledge at risk"),
            el("span", {}, el("i", { class: "swatch ok" }), "healthy"),
            el("span", {}, el("i", { class: "swatch unknown" }), "no truck factor"),
            el("span", {}, el("i", { class: "line in-cycle" }), "in an import cycle"),
            el("span", {}, el("i", { class: "line cycle" }), "points up, closing a cycle"),
            el("span", {}, el("i", { class: "line violation" }), "breaks a rule"),
            el("span", {}, "edge width = imports"), note)),
        el("details", { class: "card all-components", id: "map-index" }, el("summary", {}, el("h2", {}, "All components")), index)));
  clear(view()).append(root);

  let components, deps, check;
  try {
    [components, deps, check] = await Promise.all([api("/components"), api("/deps?level=component"), api("/check").catch(() => null)]);
  } catch (error) {
    if (!stale(token)) clear(view()).append(errorBox(error));
    return;
  }
  if (stale(token)) return;
  const model = buildMapModel(components, deps, check);
  if (mapOptions.collapsed.size === 0 && components.length > 60) {
    // Large maps start folded: every parent shows as one box until opened.
    model.byName.forEach((c) => { if (c.children.length) mapOptions.collapsed.add(c.name); });
  }
  root.querySelector("#map-index").open = components.length <= 40;
  for (const c of components) {
    index.append(el("li", {}, el("button", { class: "secondary", type: "button", "data-component": c.name, onclick: () => select(c.name) },
      c.name, " ", el("span", { class: "count" }, `TF ${tfText(c.truck_factor)}`))));
  }
  if (typeof cytoscape !== "function") {
    canvas.append(el("p", { class: "error" }, "The graph library did not load; use the list of components."));
    return;
  }
  const cy = cytoscape({ container: canvas, elements: [], minZoom: 0.08, maxZoom: 2.5, style: MAP_STYLE });
  state.cy = cy;
  let selectedName = null;
  let drawings = 0;

  function draw() {
    const graph = visibleGraph(model);
    state.mapLaidOut = false;
    cy.elements().remove();
    cy.add(mapElements(model, graph));
    const hidden = model.externalsHidden && mapOptions.externals ? ` · ${model.externalsHidden} less used packages not shown` : "";
    note.textContent = `${graph.nodes.length} of ${components.length} components${hidden}`;
    renderFocusBar();
    const generation = ++drawings;
    (typeof ELK === "function" ? layeredLayout(cy) : Promise.reject(new Error("the layout library did not load"))).then(() => {
      if (generation !== drawings || state.cy !== cy) return; // drawn again (or left) while ELK worked
      cy.nodes(":parent").forEach((n) => n.data("labelShift", Math.min(0, -n.width() / 2 + n.data("labelWidth") / 2 + 4)));
      // An edge drawn pointing up goes against the layers: it closes a cycle, between components or between frames.
      cy.edges().forEach((e) => {
        const up = !e.hasClass("external") && e.source().position("y") > e.target().position("y");
        e.toggleClass("feedback", up);
        if (up) e.addClass("cycle");
      });
      fitMap();
      if (selectedName) highlight(selectedName);
      state.mapLaidOut = true;
    }, (error) => {
      if (generation !== drawings || state.cy !== cy) return;
      note.textContent = `The layout failed (${error.message}); the boxes are placed in a grid.`;
      cy.layout({ name: "grid", fit: true, padding: 24 }).run();
      state.mapLaidOut = true;
    });
  }

  function fitMap(event) {
    // Tall graphs get a taller canvas (up to 1,100 px) so they are not shrunk to fit a fixed box; one
    // that would still be too small to read is shown from the top at a readable size, to be panned.
    const box = cy.elements().boundingBox();
    const width = canvas.clientWidth || 800;
    const zoom = Math.min(1.1, (width - 40) / Math.max(box.w, 1));
    canvas.style.height = `${Math.round(Math.max(420, Math.min(1100, box.h * zoom + 60)))}px`;
    cy.resize();
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.1) { cy.zoom(1.1); cy.center(); }
    const readable = Math.min(0.8, zoom);
    if (cy.zoom() < readable && !(event && event.type === "click")) {
      cy.zoom(readable);
      cy.pan({ x: (width - box.w * readable) / 2 - box.x1 * readable, y: 24 - box.y1 * readable });
      note.textContent += " · drag to see the rest, or Fit";
    }
  }

  function renderFocusBar() {
    clear(focusBar);
    focusBar.hidden = !mapOptions.focus;
    if (mapOptions.focus) {
      focusBar.append(el("span", {}, "Focused on ", el("strong", {}, mapOptions.focus), " and its neighbours."),
        el("button", { type: "button", class: "link", id: "map-unfocus", onclick: () => { mapOptions.focus = null; draw(); } }, "Show every component"));
    }
  }

  function highlight(name) {
    cy.elements().unselect().removeClass("highlight faded");
    let node = cy.getElementById(name);
    if (node.empty()) node = cy.getElementById(`group:${name}`); // a parent with no code of its own
    if (node.empty()) return;
    node.select();
    const edges = node.union(node.descendants()).connectedEdges();
    edges.addClass("highlight");
    cy.edges().not(edges).addClass("faded"); // the selection's dependencies in and out stand out
  }

  function unselect() {
    selectedName = null;
    side.hidden = true;
    cy.elements().unselect().removeClass("highlight faded");
    history.replaceState(null, "", "#/map");
  }

  function toggleFold(name) {
    const c = model.byName.get(name);
    if (!c || !c.children.length) return;
    if (mapOptions.collapsed.has(name)) mapOptions.collapsed.delete(name); else mapOptions.collapsed.add(name);
    draw();
  }

  function select(name) {
    selectedName = name;
    highlight(name);
    history.replaceState(null, "", `#/map/${encodeURIComponent(name)}`);
    const c = model.byName.get(name);
    const actions = el("div", { class: "card-actions" },
      el("button", { type: "button", class: "secondary", id: "map-focus", onclick: () => { mapOptions.focus = name; draw(); } }, "Focus on its neighbours"),
      c && c.children.length ? el("button", { type: "button", class: "secondary", onclick: () => toggleFold(name) },
        mapOptions.collapsed.has(name) ? "Unfold" : "Fold") : null);
    const target = el("div", {});
    const close = el("button", { type: "button", class: "link drawer-close", "aria-label": "Close the card", onclick: unselect }, "×");
    clear(side).append(close, actions, target);
    side.hidden = false;
    side.scrollTop = 0;
    // Keep the selection in sight, left of the drawer; a moment later, so a double-click (fold) lands where it began.
    const generation = drawings;
    setTimeout(() => {
      if (selectedName !== name || generation !== drawings || state.cy !== cy) return;
      const node = cy.getElementById(name).nonempty() ? cy.getElementById(name) : cy.getElementById(`group:${name}`);
      const free = canvas.clientWidth - side.offsetWidth - 24;
      if (node.nonempty() && node.renderedBoundingBox().x2 > free) cy.panBy({ x: free / 2 - node.renderedPosition().x, y: 0 });
    }, 350);
    showCard(name, target);
  }

  search.addEventListener("input", () => { mapOptions.query = search.value.trim(); draw(); });
  risk.addEventListener("change", () => { mapOptions.risk = risk.value; draw(); });
  externals.addEventListener("change", async () => {
    mapOptions.externals = externals.checked;
    if (mapOptions.externals && !model.externals) {
      try {
        model.externals = externalUses(await api("/deps?level=module"));
      } catch (error) {
        note.textContent = error.message;
        return;
      }
    }
    draw();
  });
  root.querySelector("#map-collapse").addEventListener("click", () => {
    model.byName.forEach((c) => { if (c.children.length) mapOptions.collapsed.add(c.name); });
    draw();
  });
  root.querySelector("#map-expand").addEventListener("click", () => { mapOptions.collapsed.clear(); draw(); });
  root.querySelector("#map-fit").addEventListener("click", fitMap);
  cy.on("tap", "node", (event) => {
    const name = event.target.data("component");
    if (name) select(name);
  });
  cy.on("dbltap", "node", (event) => { if (event.target.data("component")) toggleFold(event.target.data("component")); });
  cy.on("mouseover", "edge", (event) => { event.target.addClass("highlight"); canvas.title = event.target.data("title") || `${event.target.data("count")} imports`; });
  cy.on("mouseout", "edge", (event) => {
    const e = event.target;
    if (!selectedName || (e.source().id() !== selectedName && e.target().id() !== selectedName)) e.removeClass("highlight");
    canvas.title = "";
  });
  state.mapSelect = select;
  state.mapFold = toggleFold;
  if (selected && model.byName.has(selected)) {
    ancestors(model, selected).forEach((a) => mapOptions.collapsed.delete(a));
    select(selected);
  }
  if (externals.checked && !model.externals) externals.dispatchEvent(new Event("change"));
  else draw();
  announce(`Map of ${components.length} components`);
}

function externalUses(moduleDeps) {
  // Module imports of external packages, summed per (component, package).
  const componentOf = new Map(moduleDeps.modules.map((m) => [m.id, m.component]));
  const uses = new Map();
  for (const e of moduleDeps.edges) {
    if (!e.target.startsWith("external:")) continue;
    const comp = componentOf.get(e.source);
    if (!comp) continue;
    const pkg = e.target.slice("external:".length);
    const key = `${comp}\u0000${pkg}`;
    const m = uses.get(key) || { source: comp, target: pkg, count: 0 };
    m.count += 1;
    uses.set(key, m);
  }
  return [...uses.values()];
}

async function viewComponent(name) {
  const target = el("div", {});
  clear(view()).append(el("p", {}, el("a", { href: `#/map/${encodeURIComponent(name)}` }, "← Architecture map")), target);
  await showCard(name, target);
}
