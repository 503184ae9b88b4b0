/* Cairn's web page: plain JavaScript over the /api/v1 endpoints, routed by the URL hash.
 *
 * Views: #/map (architecture map and card, in map.js), #/components/NAME, #/knowledge (treemap of
 * who knows the files, in knowledge.js), #/bus-factor, #/decisions, #/change (trends, hotspots,
 * couplings, in change.js; hidden when the server has none), #/pr-check, #/start (a newcomer's
 * reading list), #/search?q=. This file
 * holds the helpers the others use, the views not named above, and the routing. Everything from
 * the repository (names, titles, messages) is inserted as text nodes, never as HTML.
 *
 * A server started with --token answers 401 without it: the page then asks for the token
 * once (a form, never a URL parameter), keeps it in sessionStorage (this tab only, gone when
 * the tab closes) and sends it as Authorization: Bearer on every request.
 */
"use strict";

const API = "/api/v1";
const state = { repository: null, repositories: [], cy: null, leaving: [] };
window.cairn = state; // for debugging and for the browser tests

// -- small helpers ------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function announce(text) { document.getElementById("status").textContent = text; }
const view = () => document.getElementById("view");
let navigation = 0; // bumped on every route; a view whose data arrives after the user moved on drops it
const stale = (token) => token !== navigation;
const fmt = (v) => (v === null || v === undefined ? "?" : String(v));
const pct = (share) => (typeof share === "number" ? `${Math.round(share * 100)}%` : "");

class ApiError extends Error {
  constructor(problem) { super(problem.detail || problem.title || "request failed"); this.problem = problem; }
}

const TOKEN_KEY = "cairn.token";
let tokenPrompt = null; // one prompt at a time, shared by every request that met a 401

function tokenHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function askForToken(problem) {
  if (tokenPrompt) return tokenPrompt;
  tokenPrompt = new Promise((resolve) => {
    const input = el("input", { id: "token-input", type: "password", autocomplete: "current-password", required: true, "aria-describedby": "token-help" });
    const form = el("form", { id: "token-form", class: "card token-form", "aria-labelledby": "token-title" },
      el("h1", { id: "token-title" }, "This Cairn server needs its token"),
      el("p", { id: "token-help" }, "Enter the token the server was started with (cairn serve --token). It is kept in this tab only."),
      problem && problem.title === "Invalid token" ? el("p", { class: "error", role: "alert" }, "That token does not match the server's.") : null,
      el("label", { for: "token-input" }, "Token"), input,
      el("button", { type: "submit" }, "Continue"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, input.value);
      form.remove();
      tokenPrompt = null;
      resolve();
    });
    document.getElementById("main").prepend(form);
    input.focus();
  });
  return tokenPrompt;
}

async function api(path, options = {}) {
  const url = new URL(API + path, window.location.origin);
  if (state.repository && !url.searchParams.has("repository") && !options.noRepository) url.searchParams.set("repository", state.repository);
  const response = await fetch(url, {
    method: options.method || "GET",
    headers: { ...(options.body ? { "Content-Type": "application/json" } : {}), ...tokenHeaders() },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const data = await response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    await askForToken(data);
    return api(path, options);
  }
  if (!response.ok) throw new ApiError(data);
  return data;
}

function errorBox(error) {
  return el("div", { class: "error", role: "alert" }, el("strong", {}, (error.problem && error.problem.title) || "Error"), ": ", error.message);
}

function riskClass(atRisk) { return atRisk === true ? "risk" : atRisk === false ? "ok" : "unknown"; }
// a component's class on the map: a component with no truck factor (no history, or no file it counts) is neither
const componentRisk = (c) => (notCounted(c) ? "unknown" : riskClass(c.at_risk));

// a scope with no file the truck factor counts (documentation, examples, generated): no truck factor, not one of 0
const NOT_COUNTED_WHY = "None of its files is one the truck factor counts (documentation, examples, vendored or generated files, files with no commit).";
const notCounted = (bf) => bf.truck_factor === null && bf.at_risk === false;
const tfText = (v) => (v === null || v === undefined ? "–" : String(v));

function riskPill(atRisk, counted = true) {
  if (!counted) return el("span", { class: "pill neutral", title: NOT_COUNTED_WHY }, "not counted");
  if (atRisk === true) return el("span", { class: "pill risk" }, "at risk");
  if (atRisk === false) return el("span", { class: "pill ok" }, "healthy");
  return el("span", { class: "pill neutral" }, "no history");
}

// A record's number as its kind says it: "RFC 4" in a folder of requests for comments (flux2's rfcs/, Jaeger's
// docs/rfc/), "KEP 1224" in one of Kubernetes enhancement proposals (kueue's keps/), else "ADR 4"; "" for none.
function numbered(d) {
  if (d.number === null || d.number === undefined) return "";
  const path = d.path || "";
  return `${/(^|\/)rfcs?\//i.test(path) ? "RFC" : /(^|\/)keps?\//i.test(path) ? "KEP" : "ADR"} ${d.number}`;
}

function statusPill(status) {
  const s = (status || "unknown").toLowerCase();
  const cls = s.startsWith("accept") ? "accepted" : s.startsWith("supersed") ? "superseded" : s.startsWith("deprecat") ? "deprecated"
    : s.startsWith("reject") ? "rejected" : s.startsWith("propos") ? "proposed" : "neutral";
  return el("span", { class: `pill ${cls}` }, status || "no status");
}

function holderName(h) { return typeof h === "string" ? h : h.person || h.name || h.id || "?"; }
// The same words as the CLI: "left", "inactive since 2023-04" (the API's active / gone / last_active fields).
function goneMark(h) {
  if (!h || h.active !== false) return "";
  if (h.gone === "inactive") return h.last_active ? `inactive since ${String(h.last_active).slice(0, 7)}` : "inactive";
  return h.gone === "leaving" ? "leaving" : "left";
}

const HOLDERS_SHOWN = 15;

// whom to ask now about a component whose authors left (ask_first: queries/ownership.py), as who-knows ranks them
function askFirst(ask) {
  if (!ask) return null;
  return el("div", { class: "ask-first", "data-testid": "ask-first" }, el("span", { class: "muted" }, "Authors left; ask now: "),
    ask.length ? ask.map((a) => el("span", { class: "chip", title: a.why }, a.person)) : el("span", { class: "muted" }, "nobody still here changed its source files"));
}

function holderRows(holders) {
  if (!holders || !holders.length) return el("p", { class: "muted" }, "Nobody holds recorded knowledge of it.");
  // People who left or went quiet still hold knowledge on paper; show them, marked, since their files are at risk.
  const row = (h) => el("div", { class: h.active === false ? "holder gone" : "holder" },
    el("span", { class: "name", title: holderName(h) + (h.active === false ? ` (${goneMark(h)})` : "") },
      holderName(h), h.active === false ? el("span", { class: "muted gone-mark" }, goneMark(h)) : null),
    el("span", { class: "bar", role: "img", "aria-label": `${pct(h.share)} of files` }, el("i", { style: `width:${Math.round((h.share || 0) * 100)}%` })),
    el("span", { class: "count" }, pct(h.share)));
  const first = holders.slice(0, HOLDERS_SHOWN).map(row);
  const rest = holders.slice(HOLDERS_SHOWN);
  return el("div", { class: "holders" }, first,
    rest.length ? el("details", {}, el("summary", {}, `${rest.length} more`), rest.map(row)) : null);
}

function componentLink(name) { return el("a", { href: `#/components/${encodeURIComponent(name)}` }, name); }

// -- the component card -----------------------------------------------------------------

function renderCard(card) {
  const bf = card.bus_factor || {};
  const deps = (items, empty) => items.length
    ? el("ul", { class: "dep-list" }, items.map((d) => el("li", {}, componentLink(d.component), el("span", { class: "count" }, `${d.count} import${d.count === 1 ? "" : "s"}`))))
    : el("p", { class: "muted" }, empty);
  return el("article", { class: "card component-card", "aria-labelledby": "card-title", "data-component": card.name },
    el("div", { class: "card-title" }, el("h2", { id: "card-title" }, card.name), riskPill(bf.at_risk, !notCounted(bf)),
      card.inferred ? el("span", { class: "pill neutral" }, "inferred") : null),
    el("p", { class: "source" }, (card.paths || []).join("  "),
      card.package ? [" · package ", el("code", { "data-testid": "card-package" }, card.package)] : null),
    card.description
      ? [el("p", { class: "purpose" }, card.description), el("p", { class: "source" }, `Purpose from ${card.purpose_source}`)]
      : el("p", { class: "muted purpose" }, "No description, governing decision or README says what it is for yet."),
    el("div", { class: "stats" },
      el("div", { class: `stat ${bf.at_risk ? "risk" : ""}` }, el("b", { "data-testid": "card-truck-factor" }, notCounted(bf) ? tfText(null) : fmt(bf.truck_factor)), el("span", {}, "truck factor")),
      el("div", { class: "stat" }, el("b", {}, notCounted(bf) ? tfText(null) : fmt(bf.human_truck_factor)), el("span", {}, "human knowledge TF")),
      el("div", { class: "stat" }, el("b", {}, card.module_count), el("span", {}, `modules · ${card.files} file${card.files === 1 ? "" : "s"}`))),
    notCounted(bf) ? el("p", { class: "muted", "data-testid": "card-not-counted" }, NOT_COUNTED_WHY) : null,
    bf.orphaned_files  // why a component many people know can still be at risk: its authors left
      ? el("p", { class: "risk-note", "data-testid": "card-orphaned" }, `${bf.orphaned_files} file${bf.orphaned_files === 1 ? "" : "s"} with no author left`)
      : null,
    askFirst(bf.ask_first),
    el("h3", {}, "Depends on"), deps(card.depends_on, "No other component."),
    el("h3", {}, "Used by"), deps(card.used_by, "No other component uses it."),
    el("h3", {}, "Decisions"),
    card.decisions.length
      ? el("ul", { class: "plain-list" }, card.decisions.map((d) => el("li", {},
          el("span", {}, el("a", { href: `#/decisions/${encodeURIComponent(d.path)}` }, d.title), d.inferred ? el("span", { class: "muted" }, " (inferred)") : null),
          statusPill(d.status))))
      : el("p", { class: "muted" }, "No decision record governs it."),
    el("h3", {}, "Knowledge holders"), holderRows(bf.knowledge_holders),
    card.owners.length ? [el("h3", {}, "Declared owners"), el("p", {}, card.owners.map((o) => el("span", { class: "chip" }, o.name)))] : null,
    card.external_packages.length ? [el("h3", {}, "External packages"), el("p", {}, card.external_packages.map((p) => el("span", { class: "chip mono" }, p.name)))] : null,
    (card.standard_library || []).length ? [el("h3", {}, "Standard library"), el("p", {}, card.standard_library.map((p) => el("span", { class: "chip mono" }, p.name)))] : null,
    el("h3", {}, "Modules"),
    card.modules.length
      ? el("details", {}, el("summary", {}, `${card.modules.length} module${card.modules.length === 1 ? "" : "s"}`),
          el("ul", { class: "plain-list" }, card.modules.map((m) => el("li", {}, el("code", {}, m.name), el("span", { class: "count" }, m.language || "")))))
      : el("p", { class: "muted" }, "No modules."),
    card.recent_activity.length
      ? [el("h3", {}, "Recent activity"), el("table", {},
          el("thead", {}, el("tr", {}, el("th", {}, "When"), el("th", {}, "Who"), el("th", {}, "File"))),
          el("tbody", {}, card.recent_activity.slice(0, 8).map((a) => el("tr", {},
            el("td", { class: "mono" }, a.last_touch.slice(0, 10)), el("td", {}, a.name), el("td", { class: "mono" }, a.file)))))]
      : null);
}

async function showCard(name, target) {
  const token = navigation;
  clear(target).append(el("p", { class: "loading" }, `Loading ${name}…`));
  target.dataset.loading = name;
  try {
    const card = await api(`/components/${encodeURIComponent(name)}`);
    if (stale(token) || target.dataset.loading !== name) return; // another click or view won
    clear(target).append(renderCard(card));
    announce(`Component ${name} shown`);
  } catch (error) {
    clear(target).append(errorBox(error));
  }
}

// -- bus factor -------------------------------------------------------------------------------

async function viewBusFactor() {
  const token = navigation;
  const root = el("section", { "aria-labelledby": "bf-title" });
  clear(view()).append(root);
  const load = async () => {
    const params = new URLSearchParams();
    state.leaving.forEach((p) => params.append("leaving", p));
    const [base, current] = await Promise.all([
      api("/bus-factor"),
      state.leaving.length ? api(`/bus-factor?${params}`) : null,
    ]);
    return { base, current: current || base };
  };
  let data;
  try { data = await load(); } catch (error) { clear(root).append(errorBox(error)); return; }
  if (stale(token)) return;
  render();

  function render() {
    const { base, current } = data;
    const repo = current.repository;
    const people = base.repository.knowledge_holders || [];
    const delta = repo.truck_factor - base.repository.truck_factor;
    const input = el("input", { type: "text", id: "leaving-input", list: "people-list", placeholder: "Name or e-mail", "aria-describedby": "whatif-help" });
    const add = (event) => {
      event.preventDefault();
      const who = input.value.trim();
      if (who && !state.leaving.includes(who)) state.leaving.push(who);
      refresh();
    };
    // with people leaving, the components at risk only because they leave come first (impact: queries/leaving.py)
    const newly = new Set((current.impact && current.impact.newly_at_risk) || []);
    const components = [...current.components].sort((a, b) => newly.has(b.name) - newly.has(a.name) ||
      (b.at_risk === true) - (a.at_risk === true) || (a.truck_factor ?? 99) - (b.truck_factor ?? 99) || a.name.localeCompare(b.name));
    clear(root).append(
      el("div", { class: "page-head" }, el("h1", { id: "bf-title" }, "Bus factor"),
        el("p", {}, "How many people would have to leave before most of the code has nobody who knows it (Avelino et al.).")),
      el("div", { class: "grid-2" },
        el("div", { class: "card" },
          el("div", { class: "big-number" },
            el("div", {}, el("b", { id: "repo-truck-factor", "data-testid": "repo-truck-factor" }, fmt(repo.truck_factor)), el("span", {}, "truck factor"),
              delta ? el("div", { class: "delta", "data-testid": "tf-delta" }, `${base.repository.truck_factor} → ${repo.truck_factor} without them`) : null,
              newly.size ? el("div", { class: "delta", "data-testid": "newly-at-risk" },
                `${newly.size} component${newly.size === 1 ? "" : "s"} newly at risk`) : null),
            el("div", {}, el("b", {}, fmt(repo.human_truck_factor)), el("span", {}, "human knowledge")),
            el("div", {}, el("b", {}, fmt(repo.orphaned_files)), el("span", {}, `orphaned of ${fmt(repo.files)} files`))),
          el("p", { class: "risk-line" }, riskPill(repo.at_risk), " ", repo.truck_factor_people && repo.truck_factor_people.length
            ? el("span", { class: "muted" }, `Losing ${repo.truck_factor_people.join(", ")} would orphan most of the code.`) : null),
          el("h3", {}, "What if they leave?"),
          el("form", { class: "whatif", onsubmit: add, "aria-label": "What if people leave" },
            el("label", { for: "leaving-input", class: "visually-hidden" }, "Person who leaves"), input,
            el("datalist", { id: "people-list" }, people.map((p) => el("option", { value: p.person || p.name || p.id }))),
            el("button", { type: "submit", id: "whatif-add" }, "Recompute")),
          el("p", { id: "whatif-help", class: "muted" }, "Add people to see the truck factor without them."),
          el("p", { class: "leaving-chips" }, state.leaving.map((who) => el("span", { class: "chip" }, who,
            el("button", { type: "button", "aria-label": `Remove ${who}`, onclick: () => { state.leaving = state.leaving.filter((p) => p !== who); refresh(); } }, "×"))))),
        el("div", { class: "card" }, el("h2", {}, "Knowledge holders"), holderRows(repo.knowledge_holders))),
      el("div", { class: "card", style: "margin-top:1.25rem" }, el("h2", {}, "Components by risk"),
        el("table", {},
          el("thead", {}, el("tr", {}, el("th", {}, "Component"), el("th", {}, "Risk"), el("th", { class: "num" }, "TF"),
            el("th", { class: "num" }, "Human TF"), el("th", { class: "num" }, "Files"), el("th", {}, "Knowledge holders"))),
          el("tbody", {}, components.map((c) => el("tr", { "data-component": c.name },
            el("td", {}, componentLink(c.name)),
            el("td", {}, newly.has(c.name) ? el("span", { class: "pill risk", title: "at risk only if they leave" }, "newly at risk") : riskPill(c.at_risk)), el("td", { class: "num" }, fmt(c.truck_factor)),
            el("td", { class: "num" }, fmt(c.human_truck_factor)), el("td", { class: "num" }, fmt(c.files)),
            el("td", {}, (c.knowledge_holders || []).length
              ? c.knowledge_holders.slice(0, 4).map((h) => el("span", { class: "chip" }, `${holderName(h)} ${pct(h.share)}`))
              : el("span", { class: "muted" }, "nobody left who knows it"), askFirst(c.ask_first))))))));
  }

  async function refresh() {
    try {
      data = await load();
      render();
      announce(`Truck factor ${data.current.repository.truck_factor}` + (state.leaving.length ? ` without ${state.leaving.join(", ")}` : ""));
    } catch (error) {
      const who = state.leaving.pop();
      render();
      root.prepend(errorBox(error));
      announce(`Could not remove ${who}`);
    }
  }
}

// -- decisions --------------------------------------------------------------------------------

async function viewDecisions(focus) {
  const token = navigation;
  clear(view()).append(el("p", { class: "loading" }, "Loading decisions…"));
  let data;
  try { data = await api("/decisions"); } catch (error) { if (!stale(token)) clear(view()).append(errorBox(error)); return; }
  if (stale(token)) return;
  const decisions = [...(data.decisions || [])].sort((a, b) =>
    (a.date ? 0 : 1) - (b.date ? 0 : 1) || String(a.date || "").localeCompare(String(b.date || "")) || (a.number ?? 1e9) - (b.number ?? 1e9));
  const retired = (d) => /^(supersed|deprecat|reject)/i.test(d.status || "");
  // a related record by its title (and number), a link to its card here; a path no record has, as it is written
  const byPath = new Map(decisions.map((d) => [d.path, d]));
  const related = (paths) => paths.flatMap((path, i) => {
    const d = byPath.get(path);
    const link = d ? el("a", { href: `#/decisions/${encodeURIComponent(path)}`, title: path },
      numbered(d) ? `${numbered(d)}: ${d.title}` : d.title) : el("span", { class: "mono" }, path);
    return i ? [", ", link] : [link];
  });
  clear(view()).append(el("section", { "aria-labelledby": "dec-title" },
    el("div", { class: "page-head" }, el("h1", { id: "dec-title" }, "Decisions"),
      el("p", {}, `${decisions.length} architecture decision record${decisions.length === 1 ? "" : "s"}, oldest first.`)),
    decisions.length ? el("ol", { class: "timeline" }, decisions.map((d) => el("li", { class: retired(d) ? "retired" : "", id: `adr-${d.path}` },
      el("div", { class: "card" },
        el("div", { class: "when", title: d.date_from === "history" ? "the record states no date: the day of the commit that first added it" : "" },
          d.date ? (d.date_from === "history" ? `added ${d.date}` : d.date) : "undated",
          numbered(d) ? ` · ${numbered(d)}` : ""),
        el("h2", {}, d.title, " ", statusPill(d.status)),
        d.summary ? el("p", {}, d.summary) : null,
        (d.rules || []).length ? el("p", {}, el("span", { class: "muted" }, "Declares rules "), d.rules.map((r) => el("span", { class: "chip mono" }, r))) : null,
        el("p", {}, (d.components || []).map((c) => el("a", { class: "chip", href: `#/components/${encodeURIComponent(c)}` }, c)),
          (d.deciders || []).length ? el("span", { class: "muted" }, ` decided by ${d.deciders.join(", ")}`) : null),
        (d.superseded_by || []).length ? el("p", { class: "muted" }, "Superseded by ", related(d.superseded_by)) : null,
        (d.supersedes || []).length ? el("p", { class: "muted" }, "Supersedes ", related(d.supersedes)) : null,
        el("p", { class: "source mono" }, d.path)))))
      : el("p", { class: "card muted" }, "No decision records found. Cairn looks in doc/adr, docs/adr, docs/decisions and similar folders.")));
  if (focus) {
    const target = document.getElementById(`adr-${focus}`);
    if (target) { target.scrollIntoView({ block: "center" }); target.querySelector(".card").style.outline = "3px solid #8aa5ec"; }
  }
}

// -- PR check ------------------------------------------------------------------------------------

function diffPaths(diff) {
  const paths = [];
  for (const line of diff.split("\n")) {
    const m = /^\+\+\+ (?:b\/)?(.+?)\s*$/.exec(line);
    if (m && m[1] !== "/dev/null" && !paths.includes(m[1])) paths.push(m[1]);
  }
  return paths;
}

function viewPRCheck() {
  let mode = "refs";
  const result = el("div", { id: "pr-result", class: "pr-result", "aria-live": "polite" });
  const filesBox = el("div", { id: "pr-files" });
  const refsFields = el("div", {},
    el("div", { class: "row" },
      el("label", { class: "field" }, el("span", {}, "Base"), el("input", { type: "text", name: "base", value: "main", required: true })),
      el("label", { class: "field" }, el("span", {}, "Head"), el("input", { type: "text", name: "head", placeholder: "feature-branch or commit", required: true }))));
  const diffArea = el("textarea", { name: "diff", rows: 12, placeholder: "Paste the output of git diff" });
  const diffFields = el("div", { hidden: true },
    el("label", { class: "field" }, el("span", {}, "Unified diff"), diffArea),
    filesBox,
    el("label", { class: "field" }, el("span", {}, "Author ", el("small", {}, "Name <email>, optional")), el("input", { type: "text", name: "author", style: "width:100%" })));
  diffArea.addEventListener("input", () => {
    const existing = Object.fromEntries([...filesBox.querySelectorAll("textarea")].map((t) => [t.dataset.path, t.value]));
    clear(filesBox).append(diffPaths(diffArea.value).map((p) => el("label", { class: "field" },
      el("span", {}, "Contents after the change: ", el("code", {}, p)),
      el("textarea", { rows: 5, "data-path": p }, existing[p] || ""))));
  });
  const switcher = el("div", { class: "mode-switch", role: "group", "aria-label": "What to check" },
    ["refs", "diff"].map((m) => el("button", { type: "button", class: "secondary", "aria-pressed": String(m === mode), onclick: (e) => {
      mode = m;
      switcher.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === e.currentTarget)));
      refsFields.hidden = m !== "refs";
      diffFields.hidden = m !== "diff";
      refsFields.querySelectorAll("input").forEach((i) => { i.required = m === "refs"; });
    } }, m === "refs" ? "Branches / commits" : "Diff")));
  const form = el("form", { class: "card pr-form", id: "pr-form" },
    switcher, refsFields, diffFields,
    el("label", { class: "field" }, el("span", {}, "Description ", el("small", {}, "rationale, ADR references")),
      el("textarea", { name: "description", rows: 4, placeholder: "Why this change? Which decision does it follow?" })),
    el("button", { type: "submit" }, "Check"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { description: data.get("description") || null };
    if (mode === "refs") { body.base = data.get("base").trim(); body.head = data.get("head").trim(); }
    else {
      body.diff = data.get("diff");
      body.files = Object.fromEntries([...filesBox.querySelectorAll("textarea")].map((t) => [t.dataset.path, t.value]));
      body.author = (data.get("author") || "").trim() || null;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    clear(result).append(el("p", { class: "loading" }, "Checking…"));
    try {
      clear(result).append(renderReport(await api("/pr-checks", { method: "POST", body: { ...body, repository: state.repository } })));
    } catch (error) {
      clear(result).append(errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  clear(view()).append(el("section", { "aria-labelledby": "pr-title" },
    el("div", { class: "page-head" }, el("h1", { id: "pr-title" }, "PR check"),
      el("p", {}, "What a change introduces: new boundary violations, couplings and cycles, the knowledge risk it touches, who should review.")),
    form, result));
}

function renderReport(report) {
  const labels = { block: "Blocking: needs a deeper review", warn: "Warnings: review with care", pass: "Nothing new crosses a boundary" };
  return el("div", { class: "stack" },
    el("div", { class: `verdict ${report.verdict}`, "data-testid": "verdict" }, el("span", { class: `pill ${report.verdict}` }, report.verdict), labels[report.verdict] || report.verdict),
    report.agent && report.agent.detected
      ? el("div", { class: "card" }, el("strong", {}, "Agent-authored change. "), (report.agent.evidence || []).map(String).join("; ")) : null,
    el("div", { class: "card" }, el("h2", {}, `Findings (${report.findings.length})`),
      report.findings.length ? el("table", {},
        el("thead", {}, el("tr", {}, el("th", {}, "Severity"), el("th", {}, "Rule"), el("th", {}, "Finding"))),
        el("tbody", {}, report.findings.map((f) => el("tr", { "data-rule": f.rule },
          el("td", {}, el("span", { class: `pill ${f.severity}` }, f.severity)),
          el("td", { class: "mono rule" }, f.rule, f.decision ? el("div", { class: "muted" }, f.decision) : null),
          el("td", { class: "finding-msg" }, f.message,
            f.file ? el("div", { class: "where mono" }, `${f.file}${f.line ? ":" + f.line : ""}`) : null)))))
        : el("p", { class: "muted" }, "No findings.")),
    el("div", { class: "card" }, el("h2", {}, "Touched components"),
      report.touched_components.length ? el("ul", { class: "dep-list" }, report.touched_components.map((c) => el("li", {},
        componentLink(c.name), el("span", {}, riskPill(c.at_risk, !notCounted(c)), " ", el("span", { class: "count" }, `TF ${notCounted(c) ? tfText(null) : fmt(c.truck_factor)}`)))))
        : el("p", { class: "muted" }, "None."),
      el("h3", {}, "Suggested reviewers"),
      report.suggested_reviewers.length ? el("p", {}, report.suggested_reviewers.map((r) => el("span", { class: "chip" }, typeof r === "string" ? r : r.name || r.person)))
        : el("p", { class: "muted" }, "Nobody besides the author holds knowledge of these components.")));
}

// -- start here: a newcomer's reading list ------------------------------------------------------

async function viewStart() {
  const token = navigation;
  clear(view()).append(el("p", { class: "loading" }, "Loading the reading list…"));
  let data;
  try { data = await api("/reading-list"); } catch (error) { if (!stale(token)) clear(view()).append(errorBox(error)); return; }
  if (stale(token)) return;
  const decisions = data.decisions || [], modules = data.modules || [], people = data.people || [];
  const more = (data.decisions_total ?? decisions.length) - decisions.length;
  const adr = (d) => el("a", { href: `#/decisions/${encodeURIComponent(d.path)}`, title: d.path },
    numbered(d) ? `${numbered(d)}: ${d.title}` : d.title);
  clear(view()).append(el("section", { class: "start", "aria-labelledby": "start-title" },
    el("div", { class: "page-head" }, el("h1", { id: "start-title" }, "Start here"),
      el("p", {}, "What to read first: the decisions in force, the modules the rest of the code leans on, the people to ask.")),
    el("div", { class: "card" }, el("h2", {}, "1. Decisions in force"),
      decisions.length ? el("ol", { class: "reading" }, decisions.map((d) => el("li", {}, adr(d), " ", statusPill(d.status),
        d.date ? el("span", { class: "muted" }, ` ${d.date}`) : null))) : el("p", { class: "muted" }, "No decision records found."),
      more > 0 ? el("p", { class: "muted" }, `and ${more} more: `, el("a", { href: "#/decisions" }, "every decision")) : null),
    el("div", { class: "card" }, el("h2", {}, "2. Central modules"),
      el("p", { class: "muted" }, "By PageRank on the imports, weighed by how many modules import them: what most of the code depends on."),
      modules.length ? el("ol", { class: "reading" }, modules.map((m) => el("li", {}, el("code", {}, m.path || m.module),
        m.component ? el("span", {}, " in ", componentLink(m.component)) : null,
        el("span", { class: "muted" }, ` imported by ${m.imported_by} module${m.imported_by === 1 ? "" : "s"}`)))) : el("p", { class: "muted" }, "No modules parsed.")),
    el("div", { class: "card" }, el("h2", {}, "3. People to ask"),
      people.length ? el("ol", { class: "reading" }, people.map((h) => el("li", {}, el("strong", {}, h.name || h.person),
        h.active === false ? el("span", { class: "muted" }, " (gone)") : null, el("span", { class: "muted" }, ` ${h.why}`))))
        : el("p", { class: "muted" }, "Nobody holds the knowledge yet."))));
  announce(`Reading list: ${decisions.length} decisions, ${modules.length} modules, ${people.length} people`);
}

// -- search ------------------------------------------------------------------------------------------

async function viewSearch(q) {
  const token = navigation;
  document.getElementById("search-input").value = q;
  clear(view()).append(el("p", { class: "loading" }, "Searching…"));
  let data;
  try { data = await api(`/search?q=${encodeURIComponent(q)}`); } catch (error) { if (!stale(token)) clear(view()).append(errorBox(error)); return; }
  if (stale(token)) return;
  const link = (r) => r.kind === "component" ? componentLink(r.name)
    : r.kind === "decision" ? el("a", { href: `#/decisions/${encodeURIComponent(r.name)}` }, r.title)
    : r.kind === "module" && r.component ? el("span", {}, el("code", {}, r.name), " in ", componentLink(r.component))
    : el("span", {}, r.title, r.title !== r.name ? el("span", { class: "muted" }, ` ${r.name}`) : null);
  clear(view()).append(el("section", { "aria-labelledby": "search-title" },
    el("div", { class: "page-head" }, el("h1", { id: "search-title" }, `Search: ${data.query}`), el("p", {}, `${data.total} found`)),
    el("div", { class: "card" }, data.results.length
      ? el("ul", { class: "results" }, data.results.map((r) => el("li", {}, el("span", { class: "kind" }, r.kind), link(r))))
      : el("p", { class: "muted" }, "Nothing matches; try a shorter part of the name."))));
  announce(`${data.total} results for ${data.query}`);
}

// -- routing -------------------------------------------------------------------------------------------

function route() {
  navigation += 1;
  if (state.cy) { state.cy.destroy(); state.cy = null; }
  const raw = window.location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const parts = path.split("/").map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const name = parts.slice(1).join("/");
  const current = parts[0] === "components" ? "map" : parts[0] || "map";
  document.querySelectorAll(".tabs a").forEach((a) => {
    if (a.dataset.view === current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  switch (parts[0]) {
    case "components": return name ? viewComponent(name) : viewMap(null);  // (#/components: the map, which lists them)
    case "knowledge": return viewKnowledge(new URLSearchParams(query || ""));
    case "change": return viewChange();
    case "bus-factor": return viewBusFactor();
    case "decisions": return viewDecisions(name);
    case "pr-check": return viewPRCheck();
    case "start": return viewStart();
    case "search": return viewSearch(new URLSearchParams(query || "").get("q") || "");
    default: return viewMap(name || null);
  }
}

async function start() {
  // Handlers first: a search typed while the repositories load must not submit the form natively.
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = document.getElementById("search-input").value.trim();
    if (q) window.location.hash = `#/search?q=${encodeURIComponent(q)}`;
  });
  try {
    state.repositories = await api("/repositories", { noRepository: true });
  } catch (error) {
    clear(view()).append(errorBox(error));
    return;
  }
  if (!state.repositories.length) {
    clear(view()).append(el("div", { class: "card" }, el("h1", {}, "Nothing ingested yet"),
      el("p", {}, "Run ", el("code", {}, "cairn ingest PATH"), " and reload this page.")));
    return;
  }
  const fromUrl = new URLSearchParams(window.location.search).get("repository");
  state.repository = state.repositories.some((r) => r.name === fromUrl) ? fromUrl : state.repositories[0].name;
  if (state.repositories.length > 1) {
    const select = document.getElementById("repo-select");
    state.repositories.forEach((r) => select.append(el("option", { value: r.name, selected: r.name === state.repository }, r.name)));
    select.addEventListener("change", () => { state.repository = select.value; state.leaving = []; probeChange(); route(); });
    document.getElementById("repo-picker").hidden = false;
  }
  window.addEventListener("hashchange", route);
  probeChange();
  route();
}

document.addEventListener("DOMContentLoaded", start);
