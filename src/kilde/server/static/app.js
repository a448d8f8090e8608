// The kilde web page: send an article to /api/report and show who said what.
//
// Safety rule for this file: article text and everything derived from it (names, quotes, cues)
// reaches the page only through textContent, Text nodes and dataset values, never through
// innerHTML or HTML strings, so markup inside an article is shown as text and never runs.
"use strict";

(() => {
  const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
  const PALETTE_SIZE = 12;
  const PREVIEW_CHARS = 120;
  const CONTEXT_CHARS = 40;
  const KIND_LABELS = {
    person: "person",
    organization: "organisation",
    media: "media",
    document: "document",
    anonymous: "anonymous",
    unknown: "unknown kind",
  };
  const LANGUAGE_LABELS = { nb: "Bokmål", nn: "Nynorsk" };
  const BOILERPLATE_LABELS = {
    navigation: "navigation",
    ad: "ad",
    teaser: "teaser",
    credit: "credit",
    byline: "byline",
  };

  const state = {
    view: null,
    file: null,
    selected: null,
    parts: [], // article elements that belong to quotes (data-quotes)
    mentions: [], // speaker mentions outside quotes (data-speaker-of)
    sourceButtons: new Map(),
  };

  const byId = (id) => document.getElementById(id);
  const scrolling = () => (matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");

  /** A new element; text goes in as textContent, children as nodes or plain strings (Text nodes). */
  function el(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined) node.textContent = String(options.text);
    if (options.title) node.title = String(options.title);
    if (options.type) node.type = options.type;
    for (const [key, value] of Object.entries(options.data || {})) node.dataset[key] = String(value);
    for (const [key, value] of Object.entries(options.attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // ---- the kilde/1 shape -------------------------------------------------------------------

  /** A span or list of spans, keeping only well-formed, non-empty ones. */
  function spans(value) {
    const items = Array.isArray(value) ? value : [value];
    return items.filter(
      (span) => span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start,
    );
  }

  function sourceOf(quote) {
    const key = state.view.quote_sources[quote.id];
    return state.view.sources.find((source) => source.key === key) || null;
  }

  function colourClass(source) {
    return source && Number.isInteger(source.colour)
      ? `speaker-${source.colour % PALETTE_SIZE}`
      : "speaker-unknown";
  }

  function sourceName(source) {
    return !source || source.key === "unknown" ? "Unknown speaker" : source.name;
  }

  function quoteStart(quote) {
    return Math.min(...spans(quote.content).map((span) => span.start), Infinity);
  }

  function preview(quote) {
    const text = spans(quote.content)
      .map((span) => String(span.text || "").replace(/\s+/g, " ").trim())
      .filter(Boolean)
      .join(" … ");
    return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1).trimEnd()}…` : text;
  }

  function quoteTitle(quote) {
    const source = sourceOf(quote);
    const parts = [`${quote.id}: ${quote.type || "quote"} quote by ${sourceName(source)}`];
    const cue = spans(quote.cue)[0];
    if (cue) parts.push(`cue “${cue.text}”`);
    const addressee = spans(quote.addressee)[0];
    if (addressee) parts.push(`to ${addressee.text}`);
    if (quote.hedged) parts.push("hedged");
    return parts.join(" · ");
  }

  // ---- the article ---------------------------------------------------------------------------

  /** Every annotation as {start, end, type, ...}, clamped to the text. */
  function buildMarks(result) {
    const length = String(result.text || "").length;
    const marks = [];
    const add = (span, mark) => {
      const start = Math.max(0, Math.min(span.start, length));
      const end = Math.max(start, Math.min(span.end, length));
      if (end > start) marks.push({ ...mark, start, end });
    };
    for (const span of spans(result.boilerplate)) add(span, { type: "boilerplate", kind: span.kind });
    for (const quote of result.quotes || []) {
      const colour = colourClass(sourceOf(quote));
      for (const span of spans(quote.content)) {
        add(span, { type: "quote", quote, colour, size: span.end - span.start });
      }
      for (const span of spans(quote.cue)) add(span, { type: "cue", quote });
      for (const span of spans(quote.speaker && quote.speaker.mention)) add(span, { type: "mention", quote, colour });
      for (const span of spans(quote.addressee)) add(span, { type: "addressee", quote });
    }
    for (const span of spans(result.hedges)) add(span, { type: "hedge", kind: span.kind });
    return marks;
  }

  function pushTo(map, key, value) {
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(value);
  }

  /** One piece of text under the annotations active over it. */
  function segment(piece, active) {
    if (active.size === 0) return document.createTextNode(piece);
    const classes = [];
    const titles = [];
    const quoteIds = [];
    let innermost = null;
    for (const mark of active) {
      if (mark.type === "quote") {
        quoteIds.push(mark.quote.id);
        if (!innermost || mark.size < innermost.size) innermost = mark;
      } else if (mark.type === "cue") {
        classes.push("cue");
        titles.push(`Cue of ${mark.quote.id}`);
      } else if (mark.type === "mention") {
        classes.push("mention", mark.colour);
        titles.push(`Speaker of ${mark.quote.id}: ${sourceName(sourceOf(mark.quote))}`);
      } else if (mark.type === "addressee") {
        classes.push("addressee");
        titles.push(`Addressee of ${mark.quote.id}`);
      } else if (mark.type === "hedge") {
        classes.push("hedge");
        titles.push(`Hedge (${mark.kind || "hedge"})`);
      } else if (mark.type === "boilerplate") {
        classes.push("bp");
      }
    }
    if (innermost) {
      // The innermost quote gives the colour; a mention inside a quote keeps the quote's colour.
      const filtered = classes.filter((name) => !name.startsWith("speaker-"));
      classes.length = 0;
      classes.push("q", innermost.colour, ...filtered);
      titles.unshift(quoteTitle(innermost.quote));
    }
    const node = el("span", { className: classes.join(" "), text: piece, title: titles.join("\n") });
    const mention = [...active].find((mark) => mark.type === "mention");
    if (quoteIds.length) {
      node.dataset.quotes = quoteIds.join(" ");
      state.parts.push(node);
    } else if (mention) {
      node.dataset.speakerOf = mention.quote.id;
      state.mentions.push(node);
    }
    return node;
  }

  /** A paragraph element for the line starting at ``start``; boilerplate lines are marked as a whole. */
  function paragraph(result, start, boilerplate) {
    const text = result.text;
    const stop = text.indexOf("\n", start) === -1 ? text.length : text.indexOf("\n", start);
    const line = text.slice(start, stop);
    const node = el("p");
    if (start === 0 && result.title && line.trim() === String(result.title).trim()) node.className = "headline";
    const covering = boilerplate.find(
      (mark) => Math.min(mark.end, stop) - Math.max(mark.start, start) >= (stop - start) / 2,
    );
    if (covering && line.trim()) {
      node.className = "boilerplate";
      const label = BOILERPLATE_LABELS[covering.kind] || covering.kind || "boilerplate";
      node.append(el("span", { className: "bp-badge", text: label, title: "Not part of the article" }));
    }
    return node;
  }

  function quoteBadge(quote) {
    const node = el("sup", {
      className: `qid ${colourClass(sourceOf(quote))}`,
      text: quote.id,
      title: quoteTitle(quote),
      data: { quotes: quote.id },
    });
    state.parts.push(node);
    return node;
  }

  /** The article as paragraphs of annotated segments, from a sweep over every span boundary. */
  function renderArticle(result) {
    const text = String(result.text || "");
    const marks = buildMarks(result);
    const starts = new Map();
    const ends = new Map();
    const points = new Set([0, text.length]);
    for (const mark of marks) {
      pushTo(starts, mark.start, mark);
      pushTo(ends, mark.end, mark);
      points.add(mark.start);
      points.add(mark.end);
    }
    // Each newline becomes a piece of its own, which closes the current paragraph.
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) {
      points.add(at);
      points.add(at + 1);
    }
    const quoteEnds = new Map();
    for (const quote of result.quotes || []) {
      const content = spans(quote.content);
      if (content.length && quote.id) {
        pushTo(quoteEnds, Math.min(Math.max(...content.map((span) => span.end)), text.length), quote);
      }
    }
    const boilerplate = marks.filter((mark) => mark.type === "boilerplate");
    const offsets = [...points].sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    const active = new Set();
    let current = null;
    for (let index = 0; index < offsets.length; index += 1) {
      const at = offsets[index];
      for (const mark of ends.get(at) || []) active.delete(mark);
      if (current) for (const quote of quoteEnds.get(at) || []) current.append(quoteBadge(quote));
      for (const mark of starts.get(at) || []) active.add(mark);
      if (index + 1 === offsets.length) break;
      const piece = text.slice(at, offsets[index + 1]);
      if (piece === "\n") {
        current = null;
        continue;
      }
      if (!current) {
        if (!piece.trim() && !active.size) continue;
        current = paragraph(result, at, boilerplate);
        fragment.append(current);
      }
      current.append(segment(piece, active));
    }
    const container = byId("article");
    container.replaceChildren(fragment);
    container.lang = result.language || "no";
  }

  // ---- the sidebar --------------------------------------------------------------------------

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  function renderSources(view) {
    const list = byId("sources");
    state.sourceButtons.clear();
    if (!view.sources.length) {
      list.replaceChildren(el("li", { className: "empty", text: "No quotes found in this article." }));
      return;
    }
    const quotes = [...(view.result.quotes || [])].sort((a, b) => quoteStart(a) - quoteStart(b));
    list.replaceChildren(
      ...view.sources.map((source) => {
        const stats = [plural(source.quotes, "quote", "quotes")];
        if (source.direct) stats.push(`${source.direct} direct`);
        if (source.indirect) stats.push(`${source.indirect} indirect`);
        const button = el(
          "button",
          {
            className: `source ${colourClass(source)}`,
            type: "button",
            data: { key: source.key },
            attrs: { "aria-pressed": "false" },
          },
          [
            el("span", { className: "swatch", attrs: { "aria-hidden": "true" } }),
            el("span", { className: "source-body" }, [
              el("span", { className: "source-name", text: sourceName(source) }),
              el("span", { className: "kind", text: KIND_LABELS[source.kind] || source.kind }),
              el("span", { className: "source-stats", text: stats.join(" · ") }),
              source.addressees.length
                ? el("span", { className: "source-to", text: `to ${source.addressees.join(", ")}` })
                : null,
            ]),
            el("span", { className: "source-count", text: source.quotes, attrs: { "aria-hidden": "true" } }),
          ],
        );
        button.addEventListener("click", () => select(source.key));
        state.sourceButtons.set(source.key, button);
        const own = quotes.filter((quote) => view.quote_sources[quote.id] === source.key);
        const items = own.map((quote) => {
          const jump = el("button", { className: "quote-link", type: "button" }, [
            el("span", { className: "quote-type", text: quote.type || "quote" }),
            el("span", { className: "quote-preview", text: preview(quote) }),
          ]);
          jump.addEventListener("click", () => showQuote(quote.id));
          return el("li", {}, [jump]);
        });
        const details = el("ol", { className: "source-quotes", data: { key: source.key } }, items);
        details.hidden = true;
        return el("li", {}, [button, details]);
      }),
    );
  }

  // ---- the provenance graph: every quote's chain as one tree, drawn in SVG -------------------

  const SVG_NS = "http://www.w3.org/2000/svg";
  const GRAPH = { row: 30, box: 22, indent: 22, pad: 8, margin: 2 };

  /** A new SVG element; attributes are set one by one, text goes in as textContent. */
  function svgEl(tag, attrs = {}, text = undefined) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function renderProvenance(view) {
    const holder = byId("provenance");
    const nodes = view.provenance_graph || [];
    if (nodes.length < 2) {
      holder.replaceChildren(el("p", { className: "empty", text: "No one is cited." }));
      return;
    }
    const rowOf = new Map(nodes.map((node, index) => [node.id, index]));
    const sourceOf = new Map(view.sources.map((source) => [source.key, source]));
    const left = (node) => GRAPH.margin + node.depth * GRAPH.indent;
    const top = (node) => GRAPH.margin + rowOf.get(node.id) * GRAPH.row;
    const chains = view.provenance.map((chain) => ["This article", ...chain.slice(1)].join(" ← "));
    const graph = svgEl("svg", {
      class: "prov-graph",
      role: "img",
      "aria-label": `Who cites whom: ${chains.join("; ")}`,
    });
    // The arrowhead points at the citer: the source is cited by the node above it.
    const marker = svgEl("marker", {
      id: "prov-arrow",
      viewBox: "0 0 8 8",
      refX: 7,
      refY: 4,
      markerWidth: 7,
      markerHeight: 7,
      orient: "auto-start-reverse",
    });
    marker.append(svgEl("path", { d: "M0,0 L8,4 L0,8 z", class: "prov-arrowhead" }));
    const defs = svgEl("defs");
    defs.append(marker);
    graph.append(defs);
    for (const node of nodes) {
      if (node.parent === null || !rowOf.has(node.parent)) continue;
      const parent = nodes[rowOf.get(node.parent)];
      const stem = left(parent) + GRAPH.indent / 2;
      const edge = svgEl("path", {
        class: "prov-edge",
        d: `M${left(node)},${top(node) + GRAPH.box / 2} H${stem} V${top(parent) + GRAPH.box}`,
        "marker-end": "url(#prov-arrow)",
      });
      edge.dataset.from = node.id;
      edge.dataset.to = parent.id;
      graph.append(edge);
    }
    for (const node of nodes) {
      const isArticle = node.parent === null;
      const source = isArticle ? null : sourceOf.get(node.source) || null;
      const group = svgEl("g", {
        class: isArticle ? "prov-node prov-article" : `prov-node ${colourClass(source)}`,
        transform: `translate(${left(node)},${top(node)})`,
      });
      group.dataset.id = node.id;
      group.dataset.depth = node.depth;
      group.dataset.kind = node.kind;
      const kind = KIND_LABELS[node.kind] || node.kind;
      const citer = isArticle ? null : nodes[rowOf.get(node.parent)];
      const citedBy = citer ? `, cited by ${citer.parent === null ? "the article" : citer.name}` : "";
      group.append(
        svgEl("title", {}, isArticle ? "This article" : `${node.name} (${kind})${citedBy}`),
        svgEl("rect", { class: "prov-box", height: GRAPH.box, rx: GRAPH.box / 2 }),
        svgEl(
          "text",
          { class: "prov-label", x: GRAPH.pad, y: GRAPH.box / 2, "dominant-baseline": "central" },
          node.name,
        ),
      );
      if (source) {
        group.setAttribute("tabindex", "0");
        group.addEventListener("click", () => select(source.key));
        group.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            select(source.key);
          }
        });
      }
      graph.append(group);
    }
    holder.replaceChildren(graph);
    // Boxes fit their names. The results may still be hidden (no layout to measure), so the names
    // are measured on a canvas in the graph's own font.
    const style = getComputedStyle(graph);
    const measure = document.createElement("canvas").getContext("2d");
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    let width = 0;
    for (const group of graph.querySelectorAll(".prov-node")) {
      const boxWidth = Math.ceil(measure.measureText(group.querySelector("text").textContent).width) + 2 * GRAPH.pad;
      group.querySelector("rect").setAttribute("width", boxWidth);
      width = Math.max(width, left(nodes[rowOf.get(group.dataset.id)]) + boxWidth);
    }
    const height = GRAPH.margin * 2 + (nodes.length - 1) * GRAPH.row + GRAPH.box;
    graph.setAttribute("viewBox", `0 0 ${width + GRAPH.margin} ${height}`);
    graph.setAttribute("width", width + GRAPH.margin);
    graph.setAttribute("height", height);
  }

  function renderHedges(result) {
    const list = byId("hedges");
    const text = String(result.text || "");
    const hedges = spans(result.hedges).sort((a, b) => a.start - b.start);
    if (!hedges.length) {
      list.replaceChildren(el("li", { className: "empty", text: "No hedges found." }));
      return;
    }
    list.replaceChildren(
      ...hedges.map((span) => {
        const before = text.slice(Math.max(0, span.start - CONTEXT_CHARS), span.start).split("\n").pop();
        const after = text.slice(span.end, span.end + CONTEXT_CHARS).split("\n")[0];
        return el("li", {}, [
          el("span", { className: "kind", text: span.kind || "hedge" }),
          el("span", { className: "hedge-context" }, [
            `…${before}`,
            el("span", { className: "hedge", text: text.slice(span.start, span.end) }),
            `${after}…`,
          ]),
        ]);
      }),
    );
  }

  function renderSummary(view) {
    const result = view.result;
    byId("result-title").textContent = result.title || "Untitled article";
    const quotes = (result.quotes || []).length;
    const direct = (result.quotes || []).filter((quote) => quote.type === "direct").length;
    const items = [
      LANGUAGE_LABELS[result.language] || result.language || "language unknown",
      plural(quotes, "quote", "quotes") + (quotes ? ` (${direct} direct)` : ""),
      plural(view.sources.length, "source", "sources"),
      plural(spans(result.hedges).length, "hedge", "hedges"),
      plural(spans(result.boilerplate).length, "boilerplate line", "boilerplate lines"),
    ];
    byId("result-meta").replaceChildren(...items.map((item) => el("li", { text: item })));
  }

  // ---- selection ----------------------------------------------------------------------------

  /** Highlight the quotes of one source (or clear the highlight when it is selected again). */
  function select(key) {
    state.selected = state.selected === key ? null : key;
    const selected = state.selected;
    const owners = state.view.quote_sources;
    byId("article").classList.toggle("has-selection", selected !== null);
    for (const node of state.parts) {
      const ids = (node.dataset.quotes || "").split(" ");
      node.classList.toggle("is-selected", selected !== null && ids.some((id) => owners[id] === selected));
    }
    for (const node of state.mentions) {
      node.classList.toggle("is-dimmed", selected !== null && owners[node.dataset.speakerOf] !== selected);
    }
    for (const [sourceKey, button] of state.sourceButtons) {
      const on = sourceKey === selected;
      button.setAttribute("aria-pressed", String(on));
      button.parentElement.querySelector(".source-quotes").hidden = !on;
    }
    byId("clear-selection").hidden = selected === null;
    const first = byId("article").querySelector(".is-selected");
    if (first) first.scrollIntoView({ block: "center", behavior: scrolling() });
  }

  function showQuote(quoteId) {
    const nodes = state.parts.filter((node) => (node.dataset.quotes || "").split(" ").includes(quoteId));
    if (!nodes.length) return;
    nodes[0].scrollIntoView({ block: "center", behavior: scrolling() });
    for (const node of nodes) {
      node.classList.remove("flash");
      void node.offsetWidth; // restart the animation
      node.classList.add("flash");
    }
  }

  function onArticleClick(event) {
    const part = event.target.closest("[data-quotes]");
    if (!part || !state.view) return;
    const key = state.view.quote_sources[part.dataset.quotes.split(" ").pop()];
    if (key) select(key);
  }

  // ---- input, requests, download ------------------------------------------------------------

  function setStatus(message, kind = "info") {
    const status = byId("status");
    status.hidden = !message;
    status.className = `status ${kind}`;
    status.textContent = message || "";
  }

  function setFile(file) {
    state.file = file || null;
    byId("file-name").hidden = !state.file;
    byId("file-clear").hidden = !state.file;
    byId("file-name").textContent = state.file ? `${state.file.name} (${Math.ceil(state.file.size / 1024)} KB)` : "";
    byId("article-text").disabled = Boolean(state.file);
    if (!file) byId("article-file").value = "";
  }

  function errorMessage(payload, response) {
    if (payload && typeof payload.detail === "string") return payload.detail;
    if (payload && Array.isArray(payload.detail)) return payload.detail.map((item) => item.msg).join("; ");
    return `The server answered ${response.status} ${response.statusText}.`;
  }

  function buildRequest() {
    const language = byId("language").value;
    if (state.file) {
      if (state.file.size > MAX_REQUEST_BYTES) {
        throw new Error("The file is larger than 2 MB; kilde accepts at most 2 MB.");
      }
      const form = new FormData();
      form.append("file", state.file);
      form.append("language", language);
      return { method: "POST", body: form };
    }
    const text = byId("article-text").value;
    if (!text.trim()) throw new Error("Paste an article or choose a file first.");
    const body = JSON.stringify({ text, language });
    if (new Blob([body]).size > MAX_REQUEST_BYTES) {
      throw new Error("The text is larger than 2 MB; kilde accepts at most 2 MB.");
    }
    return { method: "POST", headers: { "Content-Type": "application/json" }, body };
  }

  async function analyse(event) {
    event.preventDefault();
    let request;
    try {
      request = buildRequest();
    } catch (error) {
      setStatus(error.message, "error");
      return;
    }
    const button = byId("analyze-button");
    button.disabled = true;
    button.classList.add("busy");
    button.textContent = "Analysing…";
    setStatus("");
    try {
      const response = await fetch("/api/report", request);
      const payload = await response.json().catch(() => null);
      if (!response.ok) {
        setStatus(errorMessage(payload, response), "error");
        return;
      }
      show(payload);
    } catch {
      setStatus("Could not reach the kilde server. Is “kilde serve” still running?", "error");
    } finally {
      button.disabled = false;
      button.classList.remove("busy");
      button.textContent = "Analyse";
    }
  }

  function show(view) {
    state.view = view;
    state.selected = null;
    state.parts = [];
    state.mentions = [];
    renderSummary(view);
    renderArticle(view.result);
    renderSources(view);
    renderProvenance(view);
    renderHedges(view.result);
    byId("clear-selection").hidden = true;
    const results = byId("results");
    results.hidden = false;
    results.scrollIntoView({ block: "start", behavior: scrolling() });
  }

  function downloadName(result) {
    const base = String(result.id || result.title || "article")
      .normalize("NFKD")
      .replace(/[^\w-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60);
    return `${base || "article"}.kilde.json`;
  }

  function download() {
    if (!state.view) return;
    const json = `${JSON.stringify(state.view.result, null, 2)}\n`;
    const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
    const link = el("a", { attrs: { href: url, download: downloadName(state.view.result) } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function loadExample() {
    try {
      const response = await fetch("/api/example?language=nb");
      if (!response.ok) throw new Error(String(response.status));
      const example = await response.json();
      setFile(null);
      byId("article-text").value = example.text;
      byId("language").value = "auto";
      setStatus("");
    } catch {
      setStatus("Could not load the example article.", "error");
    }
  }

  function init() {
    byId("analyze-form").addEventListener("submit", analyse);
    byId("article-file").addEventListener("change", (event) => setFile(event.target.files[0]));
    byId("file-clear").addEventListener("click", () => setFile(null));
    byId("example-button").addEventListener("click", loadExample);
    byId("download-button").addEventListener("click", download);
    byId("clear-selection").addEventListener("click", () => select(state.selected));
    byId("article").addEventListener("click", onArticleClick);
    const textarea = byId("article-text");
    textarea.addEventListener("dragover", (event) => event.preventDefault());
    textarea.addEventListener("drop", (event) => {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        event.preventDefault();
        setFile(event.dataTransfer.files[0]);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
