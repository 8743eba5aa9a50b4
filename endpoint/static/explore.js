/* The network view of /explore, drawn with Cytoscape.js.
 *
 * The page's table #explore-edges is the data: one row per line (data-source, data-target, their
 * labels, short labels and pages, the source's colour, data-questions). Nodes show the short label
 * at a constant size on screen, whatever the zoom; hovering one shows its full name and count. This script draws those rows and nothing else, so the graph
 * and the accessible table always agree. A click on a node opens its page; a click on a line (or
 * on the number in the table) lists the questions behind it from the JSON twin of the named query
 * questions-between.
 *
 * For tests and for the curious: window.kamergraphExplore = {cy, model()}, and the graph's
 * container carries data-state ("ready"), data-nodes and data-edges once drawn.
 */
(function () {
  "use strict";

  var container = document.getElementById("explore-graph");
  var table = document.getElementById("explore-edges");
  var details = document.getElementById("explore-details");
  if (!container || !table || typeof cytoscape !== "function") { return; }

  var filters = JSON.parse(container.dataset.filters || "{}");
  // The page's words (explore/index.html, in its language): word("count", 3) picks the plural.
  var words = JSON.parse(container.dataset.words || "{}");
  var language = document.documentElement.lang || "nl";
  function word(key, n, fill) {
    var text = words[n === undefined ? key : key + (n === 1 ? "_one" : "_other")] || key;
    var values = Object.assign({ n: n }, fill || {});
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }
  function longDate(iso) {
    var day = new Date(iso + "T00:00:00Z");
    if (isNaN(day)) { return iso; }
    return day.toLocaleDateString(language, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }
  var SOURCE = "s", TARGET = "t";

  function nodeId(side, iri) { return side + "|" + iri; }

  // ---- the model, read from the table -------------------------------------------------------
  var nodes = {}, edges = [], rows = table.tBodies[0] ? table.tBodies[0].rows : [];
  function addNode(side, iri, label, short, href, colour, weight) {
    var id = nodeId(side, iri);
    if (!nodes[id]) {
      nodes[id] = { data: { id: id, iri: iri, label: label, short: short || label, href: href, side: side, weight: 0,
                            colour: colour || "#c8611a" },
                    classes: side === SOURCE ? "source" : "target" };
    }
    nodes[id].data.weight += weight;
  }
  Array.prototype.forEach.call(rows, function (row, index) {
    var d = row.dataset, weight = Number(d.questions);
    addNode(SOURCE, d.source, d.sourceLabel, d.sourceShort, d.sourceHref, d.sourceColour, weight);
    addNode(TARGET, d.target, d.targetLabel, d.targetShort, d.targetHref, null, weight);
    row.id = "edge-row-" + index;
    edges.push({ data: {
      id: "e" + index, source: nodeId(SOURCE, d.source), target: nodeId(TARGET, d.target),
      weight: weight, sourceLabel: d.sourceLabel, targetLabel: d.targetLabel, row: index
    } });
  });
  var nodeList = Object.keys(nodes).map(function (id) { return nodes[id]; });
  var maxNode = Math.max.apply(null, [1].concat(nodeList.map(function (n) { return n.data.weight; })));
  var maxEdge = Math.max.apply(null, [1].concat(edges.map(function (e) { return e.data.weight; })));

  if (!edges.length) {
    container.dataset.state = "empty";
    container.dataset.nodes = "0";
    container.dataset.edges = "0";
    container.classList.add("empty");
    return;
  }

  // ---- layouts --------------------------------------------------------------------------------
  var columns = container.dataset.layout === "columns";
  function columnsLayout() {
    // Sources on the left, targets on the right, each column heaviest first; the labels outside.
    var positions = {}, gap = 64, counts = {};
    [SOURCE, TARGET].forEach(function (side) {
      var column = nodeList.filter(function (n) { return n.data.side === side; });
      counts[side] = column.length;
      column.sort(function (a, b) { return b.data.weight - a.data.weight || a.data.label.localeCompare(b.data.label); })
        .forEach(function (n, i) { positions[n.data.id] = { x: side === SOURCE ? 0 : 1, y: i * gap }; });
    });
    // The columns as far apart as the container's shape asks for the longer one's height (a wide
    // view on a screen, a narrower one on a phone), so the fitted view fills the container.
    var aspect = container.clientWidth / Math.max(1, container.clientHeight);
    var width = Math.max(aspect < 1 ? 240 : 600, gap * Math.max(counts[SOURCE], counts[TARGET]) * 0.9 * aspect);
    Object.keys(positions).forEach(function (id) { positions[id].x *= width; });
    positions["heading-s"] = { x: 0, y: -gap };  // each column's heading above it
    positions["heading-t"] = { x: width, y: -gap };
    return { name: "preset", positions: function (node) { return positions[node.id()]; }, fit: true, padding: 30 };
  }
  function forceLayout() {
    return { name: "cose", animate: false, randomize: true, fit: true, padding: 30, nodeDimensionsIncludeLabels: true,
             idealEdgeLength: function () { return 90; }, nodeRepulsion: function () { return 9000; } };
  }

  // ---- drawing --------------------------------------------------------------------------------
  var headings = columns ? [
    { data: { id: "heading-s", short: container.dataset.sourceHeading || "" }, classes: "heading source-heading" },
    { data: { id: "heading-t", short: container.dataset.targetHeading || "" }, classes: "heading target-heading" }
  ] : [];
  var LABEL_SIZE = 12;  // pixels on screen
  var cy = cytoscape({
    container: container,
    elements: { nodes: nodeList.concat(headings), edges: edges },
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "label": "data(short)", "font-size": LABEL_SIZE, "color": "#1b1b1b", "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "ellipsis", "text-max-width": 200,
        "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1,
        "width": "mapData(weight, 1, " + maxNode + ", 14, 56)", "height": "mapData(weight, 1, " + maxNode + ", 14, 56)",
        "border-width": 1, "border-color": "#ffffff" } },
      { selector: "node.source", style: { "background-color": "data(colour)", "shape": "ellipse" } },
      { selector: "node.target", style: { "background-color": "#c8611a", "shape": "round-rectangle" } },
      { selector: "edge", style: {
        "width": "mapData(weight, 1, " + Math.max(2, maxEdge) + ", 1.5, 12)", "line-color": "#8fa3b8",
        "opacity": 0.65, "curve-style": "straight" } },
      { selector: "edge:selected, edge.chosen", style: {
        "line-color": "#b3123b", "opacity": 1, "label": "data(weight)", "font-size": 12, "color": "#b3123b",
        "text-background-color": "#ffffff", "text-background-opacity": 1 } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "node:selected", style: { "border-color": "#b3123b", "border-width": 3 } }
    ].concat(columns ? [  // labels outside the two columns
      { selector: "node", style: { "text-valign": "center", "text-margin-y": 0, "text-max-width": 260 } },
      { selector: "node.source", style: { "text-halign": "left", "text-margin-x": -6 } },
      { selector: "node.target", style: { "text-halign": "right", "text-margin-x": 6 } },
      { selector: "node.heading", style: {
        "width": 1, "height": 1, "background-opacity": 0, "border-width": 0, "font-weight": "bold",
        "font-size": LABEL_SIZE + 2, "text-background-opacity": 0, "events": "no" } }
    ] : []),
    layout: columns ? columnsLayout() : forceLayout()
  });

  // Labels keep their size on screen: zoomed out they are not shrunk out of sight (phones), zoomed
  // in not blown up; the node sizes scale as usual.
  function keepLabelSize() {
    var zoom = cy.zoom(), style = { "font-size": LABEL_SIZE / zoom, "text-max-width": (columns ? 260 : 200) / zoom };
    if (!columns) { style["text-margin-y"] = 3 / zoom; }
    cy.style().selector("node").style(style)
      .selector("node.heading").style({ "font-size": (LABEL_SIZE + 2) / zoom })
      .update();
  }
  keepLabelSize();
  // Labels set to their size on screen change the drawing's extent: fit again until it holds them
  // (a few rounds suffice; on a phone the labels are a large part of it).
  for (var round = 0; round < 4; round++) {
    var before = cy.zoom();
    cy.fit(undefined, 30);
    keepLabelSize();
    if (Math.abs(cy.zoom() - before) < before * 0.02) { break; }
  }
  cy.on("zoom", keepLabelSize);

  // Hovering a node shows its neighbourhood and its full name.
  var tip = document.getElementById("explore-tip");
  function showTip(node) {
    if (!tip) { return; }
    var position = node.renderedPosition();
    tip.textContent = word("tip", node.data("weight"), { label: node.data("label") });
    tip.hidden = false;
    var left = Math.max(0, Math.min(position.x + 10, container.clientWidth - tip.offsetWidth));
    tip.style.left = left + "px";
    tip.style.top = Math.max(0, position.y - tip.offsetHeight - 10) + "px";
  }
  cy.on("mouseover", "node", function (event) {
    if (event.target.hasClass("heading")) { return; }
    cy.elements().difference(event.target.closedNeighborhood()).addClass("faded");
    container.style.cursor = "pointer";
    showTip(event.target);
  });
  cy.on("mouseout", "node", function () {
    cy.elements().removeClass("faded"); container.style.cursor = "";
    if (tip) { tip.hidden = true; }
  });
  cy.on("mouseover", "edge", function () { container.style.cursor = "pointer"; });
  cy.on("mouseout", "edge", function () { container.style.cursor = ""; });

  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.assign(href); }
  });
  cy.on("tap", "edge", function (event) { showEdge(event.target); });

  // The numbers in the table do the same as a click on the line (the link itself still works
  // without this script: it opens the questions-between page).
  table.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.edge-questions") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
    var row = link.closest("tr");
    var index = Array.prototype.indexOf.call(rows, row);
    if (index < 0) { return; }
    event.preventDefault();
    showEdge(cy.getElementById("e" + index));
    details.scrollIntoView({ block: "nearest" });
  });

  // ---- the questions behind a line -----------------------------------------------------------
  var baseIri = container.dataset.baseIri || "";
  var root = container.dataset.root || "";
  function localHref(iri) {
    return baseIri && iri.indexOf(baseIri) === 0 ? root + "/" + iri.slice(baseIri.length) : iri;
  }
  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }
  function edgeParams(edge) {
    var params = new URLSearchParams();
    params.set("source", cy.getElementById(edge.data("source")).data("iri"));
    params.set("target", cy.getElementById(edge.data("target")).data("iri"));
    Object.keys(filters).forEach(function (name) { params.set(name, filters[name]); });
    return params;
  }

  var pending = 0;
  function showEdge(edge) {
    if (!edge || edge.empty()) { return; }
    cy.edges().removeClass("chosen");
    edge.addClass("chosen");
    Array.prototype.forEach.call(rows, function (row) { row.classList.remove("edge-chosen"); });
    var row = rows[edge.data("row")];
    if (row) { row.classList.add("edge-chosen"); }
    var params = edgeParams(edge), ticket = ++pending;
    details.dataset.state = "loading";
    details.dataset.edge = edge.id();
    details.replaceChildren(element("h2", edge.data("sourceLabel") + " → " + edge.data("targetLabel")),
                            element("p", word("loading", edge.data("weight")), { "class": "hint" }));
    fetch(container.dataset.questionsSrc + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { return response.text().then(function (t) { throw new Error(t || response.statusText); }); }
        return response.json();
      })
      .then(function (result) {
        if (ticket !== pending) { return; }
        var list = element("ol", null, { "class": "edge-questions-list" });
        result.rows.forEach(function (q) {
          var item = element("li");
          item.appendChild(element("a", q.title, { href: localHref(q.question) }));
          item.appendChild(element("span", " " + q.zaak + ", " + word("submitted", undefined, { date: longDate(q.submitted) }) +
            (q.answered ? ", " + word("answered", undefined, { date: longDate(q.answered) }) +
              (q.days !== null ? " (" + word("days", q.days) + ")" : "") : ", " + word("not_answered")),
            { "class": "meta" }));
          if (q.submitters) {
            item.appendChild(element("span", word("asked_by", undefined, { names: q.submitters }), { "class": "meta block" }));
          }
          list.appendChild(item);
        });
        var heading = element("h2", edge.data("sourceLabel") + " → " + edge.data("targetLabel"));
        // One page of the query's rows: its total counts them all.
        var total = result.rows.length ? Number(result.rows[0].total) : 0;
        var count = element("p", word("count", total) +
          (total > result.rows.length ? " " + word("newest", undefined, { n: result.rows.length }) : ""), { "class": "count" });
        var more = element("p", null, { "class": "hint" });
        more.appendChild(element("a", word("as_query"), {
          href: container.dataset.questionsPage + "?" + params.toString() }));
        details.replaceChildren(heading, count, list, more);
        details.dataset.state = "loaded";
        details.dataset.questions = String(result.rows.length);
      })
      .catch(function (error) {
        if (ticket !== pending) { return; }
        details.replaceChildren(element("p", word("failed") + " " + error.message, { "class": "error" }));
        details.dataset.state = "error";
      });
  }

  // ---- for tests and the console -------------------------------------------------------------
  function model() {
    return {
      nodes: cy.nodes().not(".heading").map(function (n) {
        return { id: n.id(), iri: n.data("iri"), label: n.data("label"), short: n.data("short"),
                 side: n.data("side") === SOURCE ? "source" : "target", weight: n.data("weight"),
                 colour: n.data("colour") };
      }),
      headings: cy.nodes(".heading").map(function (n) { return n.data("short"); }),
      edges: cy.edges().map(function (e) {
        return { id: e.id(), source: cy.getElementById(e.data("source")).data("iri"),
                 target: cy.getElementById(e.data("target")).data("iri"), weight: e.data("weight") };
      })
    };
  }
  window.kamergraphExplore = { cy: cy, model: model, showEdge: function (id) { showEdge(cy.getElementById(id)); } };
  container.dataset.nodes = String(cy.nodes().not(".heading").length);
  container.dataset.edges = String(cy.edges().length);
  container.dataset.state = "ready";
})();
