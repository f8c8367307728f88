// icmap workshop handout: zoom and pan the chart, choose a unit, sort the tables.
// Data is placed with textContent only: nothing from the org file is ever parsed as HTML.
"use strict";
(() => {
  const units = JSON.parse(document.getElementById("icmap-units").textContent);
  const chart = document.getElementById("chart");
  const svg = document.getElementById("chart-svg");
  const panel = document.getElementById("panel");

  // --- the chart's nodes and edges, by unit id (Graphviz puts the node name in <title>)
  const nodes = new Map();
  const edges = [];
  for (const g of svg.querySelectorAll("g.node")) {
    const title = g.querySelector("title");
    const id = title ? title.textContent.trim() : "";
    if (!Object.hasOwn(units, id)) continue;
    nodes.set(id, g);
    const info = units[id];
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", `${info.name} (${info.kind})`);
    g.dataset.unit = id;
  }
  // A labelled handoff is drawn supplier -> its label's box -> customer (docs/render.md):
  // the two halves and the box light up together, as one edge.
  const boxes = new Map();
  for (const g of svg.querySelectorAll("g.node.label")) {
    const title = g.querySelector("title");
    if (title) boxes.set(title.textContent.trim(), { parts: [g], from: null, to: null });
  }
  const known = (name) => nodes.has(name) || boxes.has(name);
  for (const g of svg.querySelectorAll("g.edge")) {
    const title = g.querySelector("title");
    const text = title ? title.textContent : "";
    // "supplier->customer": ids hold no ">", so the split is the one that names two units.
    for (let at = text.indexOf("->"); at >= 0; at = text.indexOf("->", at + 1)) {
      const from = text.slice(0, at).trim(), to = text.slice(at + 2).trim();
      if (!known(from) || !known(to)) continue;
      if (boxes.has(to)) { boxes.get(to).from = from; boxes.get(to).parts.push(g); }
      else if (boxes.has(from)) { boxes.get(from).to = to; boxes.get(from).parts.push(g); }
      else edges.push({ parts: [g], from, to });
      break;
    }
  }
  for (const box of boxes.values()) {
    if (box.from && box.to) edges.push({ parts: box.parts, from: box.from, to: box.to });
  }

  // --- zoom and pan by the viewBox
  const base = svg.viewBox.baseVal;
  const home = { x: base.x, y: base.y, w: base.width, h: base.height };
  let view = { ...home };
  const show = () => svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  const zoom = (factor, cx = 0.5, cy = 0.5) => {
    const w = Math.min(Math.max(view.w * factor, home.w / 40), home.w * 4);
    const h = w * (home.h / home.w);
    view = { x: view.x + (view.w - w) * cx, y: view.y + (view.h - h) * cy, w, h };
    show();
  };
  const pan = (dx, dy) => { view.x += dx * view.w; view.y += dy * view.h; show(); };
  const reset = () => { view = { ...home }; show(); };
  chart.addEventListener("wheel", (event) => {
    event.preventDefault();
    const box = svg.getBoundingClientRect();
    zoom(event.deltaY < 0 ? 0.85 : 1 / 0.85,
      (event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
  }, { passive: false });
  let drag = null;
  chart.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || event.target.closest("button, g.node")) return;
    drag = { x: event.clientX, y: event.clientY, moved: false };
    chart.setPointerCapture(event.pointerId);
  });
  chart.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const box = svg.getBoundingClientRect();
    const dx = (event.clientX - drag.x) / box.width, dy = (event.clientY - drag.y) / box.height;
    if (Math.abs(dx) + Math.abs(dy) > 0.002) { drag.moved = true; chart.classList.add("dragging"); }
    pan(-dx, -dy);
    drag.x = event.clientX; drag.y = event.clientY;
  });
  const endDrag = () => { drag = null; chart.classList.remove("dragging"); };
  chart.addEventListener("pointerup", endDrag);
  chart.addEventListener("pointercancel", endDrag);
  for (const button of chart.querySelectorAll("[data-zoom]")) {
    button.addEventListener("click", () => {
      const how = button.dataset.zoom;
      if (how === "in") zoom(0.8); else if (how === "out") zoom(1.25); else reset();
    });
  }

  // --- choosing a unit
  let selected = null;
  const put = (element, text) => { element.textContent = text; };
  const fill = (id) => {
    const info = units[id];
    put(document.getElementById("panel-kind"), info.kind);
    put(document.getElementById("panel-name"), info.name);
    const description = document.getElementById("panel-description");
    put(description, info.description);
    description.hidden = !info.description;
    const facts = document.getElementById("panel-facts");
    facts.replaceChildren();
    for (const [label, value] of info.facts) {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      put(dt, label); put(dd, value);
      facts.append(dt, dd);
    }
    const lists = document.getElementById("panel-lists");
    lists.replaceChildren();
    const named = (title, ids) => ids.length ? [title, ids.map((i) => units[i] ? units[i].name : i)] : null;
    const extra = [named("Suppliers", info.suppliers), named("Internal customers", info.customers)];
    for (const [title, items] of [...info.lists, ...extra.filter(Boolean)]) {
      const h = document.createElement("h4"), ul = document.createElement("ul");
      put(h, title);
      for (const item of items) { const li = document.createElement("li"); put(li, item); ul.append(li); }
      lists.append(h, ul);
    }
  };
  const clear = () => {
    selected = null;
    chart.classList.remove("has-selection");
    for (const g of svg.querySelectorAll(".lit, .lit-label, .selected, .supplier, .internal-customer")) {
      g.classList.remove("lit", "lit-label", "selected", "supplier", "internal-customer");
    }
    panel.hidden = true;
  };
  const select = (id) => {
    if (!Object.hasOwn(units, id)) return;
    clear();
    selected = id;
    const info = units[id];
    chart.classList.add("has-selection");
    const mark = (unit, cls) => { const g = nodes.get(unit); if (g) g.classList.add("lit", cls); };
    mark(id, "selected");
    info.suppliers.forEach((u) => mark(u, "supplier"));
    info.customers.forEach((u) => mark(u, "internal-customer"));
    for (const edge of edges) {
      if (edge.from !== id && edge.to !== id) continue;
      // a label's box is a g.node too, but no unit: it gets a class of its own
      for (const g of edge.parts) g.classList.add(g.classList.contains("node") ? "lit-label" : "lit");
    }
    fill(id);
    panel.hidden = false;
  };
  for (const [id, g] of nodes) {
    g.addEventListener("click", (event) => { event.stopPropagation(); select(id); });
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(id); }
    });
  }
  document.getElementById("panel-close").addEventListener("click", () => {
    const was = selected; clear(); if (was && nodes.has(was)) nodes.get(was).focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { const was = selected; clear(); if (was && nodes.has(was)) nodes.get(was).focus(); return; }
    if (!chart.contains(document.activeElement)) return;
    const steps = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] };
    if (event.key === "+" || event.key === "=") zoom(0.8);
    else if (event.key === "-") zoom(1.25);
    else if (event.key === "0") reset();
    else if (steps[event.key] && document.activeElement === chart) pan(...steps[event.key]);
    else return;
    event.preventDefault();
  });
  // A name in the report chooses its unit and brings the chart into view.
  document.querySelector(".report").addEventListener("click", (event) => {
    const name = event.target.closest(".name[data-unit]");
    if (!name || !Object.hasOwn(units, name.dataset.unit)) return;
    select(name.dataset.unit);
    chart.scrollIntoView({ behavior: "smooth", block: "start" });
  });

  // --- sortable tables: by each cell's figure (data-value), words otherwise
  for (const table of document.querySelectorAll("table.sortable")) {
    const headers = [...table.querySelectorAll("thead th")];
    headers.forEach((th, column) => {
      th.querySelector(".sort").addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = [...body.rows];
        const key = (row) => row.cells[column] ? row.cells[column].dataset.value : "";
        const numeric = rows.every((row) => key(row) !== "" && !Number.isNaN(Number(key(row))));
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        body.append(...rows);
      });
    });
  }
})();
