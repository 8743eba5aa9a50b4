/* The charts of /charts/NAME, drawn with Vega-Lite through Vega-Embed as SVG.
 *
 * The page's #chart element names the chart (data-chart) and its data (data-src: the JSON twin of a
 * named query, whose rows are plain values). This file holds one Vega-Lite specification per chart;
 * the rows are fetched here and given to the specification as inline values.
 *
 * The pages' Content-Security-Policy allows no eval, so Vega runs with its expression interpreter
 * (vega-interpreter, ast: true) and without the <style> elements Vega-Embed would add.
 *
 * Its words (axis and tooltip titles, the status line) are written in English here and shown in the
 * page's language: the page gives their translations as JSON in #chart-texts (see charts.py, TEXTS), and the month names
 * and decimal marks of its language in #chart-locale.
 *
 * For tests: the element gets data-state ("ready", "empty" or "error") and data-rows, and
 * window.kamergraphChart = {view, spec, rows}.
 */
(function () {
  "use strict";

  var element = document.getElementById("chart");
  var status = document.getElementById("chart-status");
  if (!element) { return; }

  var texts = document.getElementById("chart-texts");
  var TEXTS = texts ? JSON.parse(texts.textContent || "{}") : {};
  var locales = document.getElementById("chart-locale");
  var LOCALE = locales ? JSON.parse(locales.textContent || "{}") : {};
  function t(english) { return TEXTS[english] || english; }
  function filled(english, values) {
    return t(english).replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  var SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
  var BUCKETS = ["0-7", "8-21", "22-42", "43-90", "91+"];
  var BUCKET_COLOURS = ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"];

  // Room for the names on a row axis: at most limit pixels, and never more than about two fifths of
  // the chart's width, so the bars keep the rest on a phone.
  function labelRoom(limit) { return Math.round(Math.max(90, Math.min(limit, (element.clientWidth || 800) * 0.4))); }

  function label(row, name, iri) { return row[name] || (row[iri] ? String(row[iri]).replace(/.*\//, "") : ""); }

  var CHARTS = {
    "questions-per-month": function (rows) {
      rows.forEach(function (r) { r.monthStart = r.month + "-01"; r.partyName = label(r, "partyLabel", "party"); });
      return {
        $schema: SCHEMA,
        width: "container",
        height: 340,
        autosize: { type: "fit-x", contains: "padding" },  // the legend inside the container's width
        data: { values: rows },
        mark: { type: "bar", tooltip: true },
        encoding: {
          x: { field: "monthStart", type: "temporal", timeUnit: "utcyearmonth", title: t("Month submitted"),
               axis: { format: "%b %Y", labelAngle: -40 } },
          y: { field: "questions", type: "quantitative", stack: "zero", title: t("Questions"),
               axis: { tickMinStep: 1, format: "d" } },
          color: { field: "partyName", type: "nominal", title: t("Party"), scale: { scheme: "tableau20" } },
          tooltip: [
            { field: "month", type: "nominal", title: t("Month") },
            { field: "partyName", type: "nominal", title: t("Party") },
            { field: "questions", type: "quantitative", title: t("Questions") }
          ]
        }
      };
    },

    "answer-times": function (rows) {
      var totals = {};
      rows.forEach(function (r) {
        r.ministryName = label(r, "ministryLabel", "ministry");
        r.bucketOrder = BUCKETS.indexOf(r.bucket);
        totals[r.ministryName] = (totals[r.ministryName] || 0) + r.questions;
      });
      rows.forEach(function (r) { r.answered = totals[r.ministryName]; r.share = r.answered ? r.questions / r.answered : 0; });
      return {
        $schema: SCHEMA,
        width: "container",
        height: { step: 26 },
        autosize: { type: "fit-x", contains: "padding" },
        data: { values: rows },
        mark: { type: "bar", tooltip: true },
        encoding: {
          y: { field: "ministryName", type: "nominal", title: null, axis: { labelLimit: labelRoom(380) },
               sort: { op: "sum", field: "questions", order: "descending" } },
          x: { field: "questions", type: "quantitative", stack: "normalize", title: t("Share of its answered questions"),
               axis: { format: "%" } },
          color: { field: "bucket", type: "ordinal", title: t("Days to answer"),
                   scale: { domain: BUCKETS, range: BUCKET_COLOURS }, legend: { orient: "top" } },
          order: { field: "bucketOrder", type: "quantitative" },
          tooltip: [
            { field: "ministryName", type: "nominal", title: t("Ministry") },
            { field: "bucket", type: "nominal", title: t("Days") },
            { field: "questions", type: "quantitative", title: t("Questions") },
            { field: "share", type: "quantitative", title: t("Share"), format: ".0%" },
            { field: "answered", type: "quantitative", title: t("Answered in all") }
          ]
        }
      };
    },

    // Median and 90th percentile of the days to answer, a row per minister (or post, ministry,
    // party), the slowest on top; the three-week term as a rule. The 25 with most answers.
    "answer-times-per-minister": function (rows) {
      rows = rows.filter(function (r) { return r.answered > 0; })
        .sort(function (a, b) { return b.answered - a.answered; }).slice(0, 25);
      rows.forEach(function (r) {
        r.name = label(r, "label", "group") + (r.postLabel ? " (" + r.postLabel + ")" : "");
      });
      var tooltip = [
        { field: "name", type: "nominal", title: t("Who") },
        { field: "answered", type: "quantitative", title: t("Answered") },
        { field: "medianDays", type: "quantitative", title: t("Median days") },
        { field: "p90Days", type: "quantitative", title: t("90th percentile") },
        { field: "withinTerm", type: "quantitative", title: t("By the deadline"), format: ".0%" }
      ];
      var y = { field: "name", type: "nominal", title: null, axis: { labelLimit: 220 },
                sort: { field: "medianDays", order: "descending" } };
      return {
        $schema: SCHEMA,
        width: "container",
        height: { step: 22 },
        autosize: { type: "fit-x", contains: "padding" },
        data: { values: rows },
        layer: [
          { mark: { type: "rule", color: "#999" },
            encoding: { y: y, x: { field: "medianDays", type: "quantitative" }, x2: { field: "p90Days" },
                        tooltip: tooltip } },
          { mark: { type: "point", filled: true, size: 60, tooltip: true },
            encoding: { y: y, x: { field: "medianDays", type: "quantitative", title: t("Days to answer: median (dot) to 90th percentile") },
                        tooltip: tooltip } },
          { mark: { type: "tick", color: "#c0392b", thickness: 2 },
            encoding: { y: y, x: { field: "p90Days", type: "quantitative" }, tooltip: tooltip } },
          { data: { values: [{ term: 21 }] }, mark: { type: "rule", strokeDash: [4, 4], color: "#c0392b" },
            encoding: { x: { field: "term", type: "quantitative" } } }
        ]
      };
    },

    "topics-over-time": function (rows) {
      var years = rows.map(function (r) { return r.year; });
      var first = Math.min.apply(null, years), last = Math.max.apply(null, years), domain = [];
      for (var y = first; y <= last; y++) { domain.push(y); }  // years without questions stay visible
      var most = Math.max.apply(null, rows.map(function (r) { return r.questions; }));
      rows.forEach(function (r) { r.topicName = label(r, "topicLabel", "topic"); });
      var encoding = {
        x: { field: "year", type: "ordinal", title: t("Year submitted"), scale: { domain: domain }, axis: { labelAngle: 0 } },
        y: { field: "topicName", type: "nominal", title: null, axis: { labelLimit: labelRoom(300) },
             sort: { op: "sum", field: "questions", order: "descending" } }
      };
      return {
        $schema: SCHEMA,
        width: { step: Math.max(36, Math.min(90, 900 / domain.length)) },
        height: { step: 24 },
        data: { values: rows },
        encoding: encoding,
        layer: [
          { mark: { type: "rect", tooltip: true },
            encoding: {
              color: { field: "questions", type: "quantitative", title: t("Questions"), scale: { scheme: "blues", domainMin: 0 } },
              tooltip: [
                { field: "topicName", type: "nominal", title: t("Theme") },
                { field: "year", type: "ordinal", title: t("Year") },
                { field: "questions", type: "quantitative", title: t("Questions") }
              ]
            } },
          { mark: { type: "text", fontSize: 11 },
            encoding: {
              text: { field: "questions", type: "quantitative" },
              color: { condition: { test: "datum.questions > " + (most * 0.6), value: "white" }, value: "black" }
            } }
        ]
      };
    }
  };

  function say(text) { if (status) { status.textContent = text; } }
  function fail(message) {
    element.dataset.state = "error";
    element.textContent = "";
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = filled("The chart could not be drawn: %(message)s", { message: message });
    element.appendChild(p);
    say("");
  }

  var build = CHARTS[element.dataset.chart];
  if (!build) { fail(filled("no chart named %(name)s", { name: element.dataset.chart })); return; }

  fetch(element.dataset.src, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { return response.text().then(function (t) { throw new Error(t || response.statusText); }); }
      return response.json();
    })
    .then(function (result) {
      var rows = result.rows;
      element.dataset.rows = String(rows.length);
      if (!rows.length) {
        element.dataset.state = "empty";
        say(t("No questions match these parameters."));
        return null;
      }
      var spec = build(rows);
      return vegaEmbed(element, spec, {
        renderer: "svg",
        actions: false,
        defaultStyle: false,
        ast: true,
        expr: window.vegaExpressionInterpreter,
        tooltip: { disableDefaultStyle: true },
        formatLocale: LOCALE.number,  // month names and decimal marks in the page's language
        timeFormatLocale: LOCALE.time
      }).then(function (embedded) {
        window.kamergraphChart = { view: embedded.view, spec: spec, rows: rows };
        var line = rows.length === 1 ? "%(count)s row from the query %(query)s." : "%(count)s rows from the query %(query)s.";
        say(filled(line, { count: rows.length.toLocaleString(document.documentElement.lang || "nl"), query: result.query }) +
            (result.truncated ? " " + t("(cut at the server's row limit)") : ""));
        element.dataset.state = "ready";
      });
    })
    .catch(function (error) { fail(error.message || String(error)); });
})();
