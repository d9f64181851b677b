// The vpcreach report page: draws the topology with cytoscape and fcose,
// lists the findings in sortable, filterable tables, and highlights on the
// drawing the path of the finding selected. Everything it shows is in the
// JSON of #vpcreach-data; it requests nothing.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("vpcreach-data").textContent);
  var S = D.s;
  var SEV = ["info", "low", "medium", "high"];
  var $ = function (id) { return document.getElementById(id); };
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ---- header -------------------------------------------------------------
  var expBySev = [0, 0, 0, 0], resources = {};
  D.exposure.forEach(function (r) { expBySev[r[7]]++; resources[r[0]] = true; });
  var lintBySev = [0, 0, 0, 0];
  D.lint.forEach(function (r) { lintBySev[r[1]]++; });
  var kinds = {};
  D.nodes.forEach(function (n) { kinds[n[2]] = (kinds[n[2]] || 0) + 1; });
  var summary = plural(D.exposure.length, "exposure finding", "exposure findings");
  if (D.exposure.length) {
    summary += " on " + plural(Object.keys(resources).length, "resource", "resources") + " (" +
      expBySev[3] + " high, " + expBySev[2] + " medium, " + expBySev[1] + " low)";
  }
  summary += " · " + plural(D.lint.length, "lint finding", "lint findings");
  if (D.lint.length) {
    summary += " (" + lintBySev[3] + " high, " + lintBySev[2] + " medium, " + lintBySev[1] + " low, " + lintBySev[0] + " info)";
  }
  summary += " · " + plural(kinds.vpc || 0, "VPC", "VPCs") + ", " + plural(kinds.subnet || 0, "subnet", "subnets");
  if (D.suppressed || D.baselined) {
    summary += " · left out: " + D.suppressed + " suppressed, " + D.baselined + " baselined";
  }
  if (D.notCollected && D.notCollected.length) {
    summary += " · the sources did not list some kinds of resource: findings there are possibly-reachable or missing (see Warnings)";
  }
  $("summary").textContent = summary;
  $("sources").textContent = "Sources: " + D.sources.join(", ");
  $("version").textContent = D.version;

  // ---- drawing ------------------------------------------------------------
  var P = D.palette;
  var elements = [];
  D.nodes.forEach(function (n, i) {
    var lines = n[3].split("\n");
    var w = 0;
    lines.forEach(function (l) { w = Math.max(w, l.length); });
    var data = { id: n[0], label: n[3], kind: n[2], cls: n[4], w: Math.min(320, w * 7.6 + 20), h: lines.length * 16 + 12, idx: i };
    if (n[1] >= 0) data.parent = D.nodes[n[1]][0];
    var classes = [n[4]];
    if (n[5] > 0) classes.push("sev" + n[5]);
    elements.push({ group: "nodes", data: data, classes: classes.join(" ") });
  });
  D.edges.forEach(function (e, i) {
    elements.push({ group: "edges", data: { id: "e" + i, source: D.nodes[e[0]][0], target: D.nodes[e[1]][0], kind: e[2], label: e[3] },
      classes: e[2] + (e[4] ? " blackhole" : "") });
  });
  var style = [
    { selector: "node", style: {
      "shape": "round-rectangle", "label": "data(label)", "text-wrap": "wrap", "text-max-width": 300,
      "text-valign": "center", "text-halign": "center", "font-size": 13, "font-family": "system-ui, sans-serif",
      "color": "#1d2433", "width": "data(w)", "height": "data(h)", "border-width": 1, "min-zoomed-font-size": D.nodes.length > 300 ? 6 : 0 } },
    { selector: ":parent", style: {
      "text-valign": "top", "text-halign": "center", "text-margin-y": -2, "padding": 12, "font-size": 13,
      "font-weight": "bold", "background-opacity": 0.9, "border-width": 1.5 } },
    { selector: "node.group", style: { "shape": "round-rectangle", "border-style": "double", "border-width": 3 } },
    { selector: "node.outside", style: { "shape": "ellipse" } },
    { selector: "node.peering, node.transit", style: { "shape": "hexagon" } },
    { selector: "node.external, node.unknownsubnet", style: { "border-style": "dashed" } },
    { selector: "node.sev1", style: { "border-color": "#2e86c1", "border-width": 2.5 } },
    { selector: "node.sev2", style: { "border-color": "#d68910", "border-width": 3 } },
    { selector: "node.sev3", style: { "border-color": "#c0392b", "border-width": 3.5 } },
    { selector: "edge", style: {
      "width": 1.2, "line-color": "#9aa5b8", "curve-style": "bezier", "label": "data(label)", "font-size": 10,
      "color": "#3869b8", "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
      "min-zoomed-font-size": D.nodes.length > 300 ? 7 : 0 } },
    { selector: "edge.route", style: { "line-color": "#7f9fd4", "target-arrow-shape": "triangle", "target-arrow-color": "#7f9fd4", "arrow-scale": 0.7 } },
    { selector: "edge.peering", style: { "line-color": "#2a8c82", "width": 2 } },
    { selector: "edge.target", style: { "line-style": "dotted", "target-arrow-shape": "triangle", "target-arrow-color": "#9aa5b8" } },
    { selector: "edge.blackhole", style: { "line-color": "#c0392b", "line-style": "dashed", "color": "#c0392b", "target-arrow-color": "#c0392b" } },
    { selector: ".faded", style: { "opacity": 0.35 } },
    { selector: "node.hl", style: { "border-color": "#e8590c", "border-width": 4, "opacity": 1 } },
    { selector: "edge.pathedge", style: {
      "line-color": "#e8590c", "target-arrow-color": "#e8590c", "target-arrow-shape": "triangle", "width": 4,
      "curve-style": "straight", "z-index": 999, "label": "", "opacity": 1 } }
  ];
  Object.keys(P).forEach(function (cls) {
    var s = { "background-color": P[cls][0], "border-color": P[cls][1] };
    style.splice(1, 0, { selector: "node." + cls, style: s });
  });
  var cy = cytoscape({ container: $("cy"), elements: elements, style: style, wheelSensitivity: 0.3,
    minZoom: 0.02, maxZoom: 3, textureOnViewport: D.nodes.length > 1500, hideEdgesOnViewport: D.nodes.length > 1500 });
  // fcose iterates at least five times per box, so one layout of a whole
  // organisation would take many seconds. A small network is laid out in
  // one pass; a large one in two, both by fcose: the inside of each VPC on
  // its own, then the VPCs (each as one box of its size) with the
  // gateways, peerings and transit gateways between them.
  var big = D.nodes.length > 300;
  var fcose = { name: "fcose", animate: false, randomize: true, quality: "default",
    nodeDimensionsIncludeLabels: true, nodeRepulsion: 2200, idealEdgeLength: 30,
    edgeElasticity: 0.45, nestingFactor: 0.1, gravity: 0.6, gravityCompound: 1.6, gravityRangeCompound: 1.0,
    numIter: 2500, tile: true, tilingPaddingVertical: 12, tilingPaddingHorizontal: 12, padding: 24 };
  function opts(extra) {
    var o = {};
    Object.keys(fcose).forEach(function (k) { o[k] = fcose[k]; });
    Object.keys(extra).forEach(function (k) { o[k] = extra[k]; });
    return o;
  }
  function root(n) { var a = n.ancestors(); return a.length ? a.last() : n; }
  function layoutInTwoPasses() {
    var roots = cy.nodes().orphans();
    roots.filter(function (r) { return r.isParent(); }).forEach(function (r) {
      var inner = r.descendants();
      inner.union(inner.edgesWith(inner)).layout(opts({ fit: false, numIter: 300 })).run();
    });
    var proxy = cytoscape({ headless: true, styleEnabled: true,
      style: [{ selector: "node", style: { shape: "rectangle", width: "data(w)", height: "data(h)" } }] });
    var seen = {}, els = [];
    roots.forEach(function (r) {
      var bb = r.boundingBox();
      els.push({ group: "nodes", data: { id: r.id(), w: Math.max(20, bb.w), h: Math.max(20, bb.h) } });
    });
    cy.edges().forEach(function (e) {
      var s = root(e.source()).id(), t = root(e.target()).id(), k = s + "\u0000" + t;
      if (s !== t && !seen[k]) { seen[k] = true; els.push({ group: "edges", data: { source: s, target: t } }); }
    });
    proxy.add(els);
    // The VPCs in a grid (cytoscape's own layout, which never lets boxes
    // overlap), each row and column as wide as its largest box, then the
    // boxes outside every VPC where fcose puts them between the VPCs they join.
    var vpcsFirst = function (a, b) { return (b.data("w") * b.data("h")) - (a.data("w") * a.data("h")); };
    proxy.nodes().layout({ name: "grid", avoidOverlap: true, avoidOverlapPadding: 40, condense: true, fit: false,
      sort: vpcsFirst, boundingBox: { x1: 0, y1: 0, w: 4000, h: 3000 } }).run();
    var fixed = proxy.nodes().filter(function (n) { return cy.getElementById(n.id()).isParent(); });
    var free = proxy.nodes().difference(fixed);
    if (free.length && fixed.length) {
      proxy.layout(opts({ fit: false, randomize: false, quality: "proof", numIter: 300, idealEdgeLength: 120,
        nodeDimensionsIncludeLabels: false, fixedNodeConstraint: fixed.map(function (n) { return { nodeId: n.id(), position: n.position() }; }) })).run();
    }
    cy.batch(function () {
      roots.forEach(function (r) {
        var p = proxy.getElementById(r.id()).position();
        if (r.isParent()) {
          var bb = r.boundingBox();
          r.descendants(":childless").shift({ x: p.x - (bb.x1 + bb.x2) / 2, y: p.y - (bb.y1 + bb.y2) / 2 });
        } else {
          r.position({ x: p.x, y: p.y });
        }
      });
    });
    proxy.destroy();
  }
  function drawn(layoutMs) {
    Math.random = random;
    cy.fit(undefined, 24);
    requestAnimationFrame(function () {
      window.vpcreachTimings = { readyMs: Math.round(performance.now()), layoutMs: layoutMs };
      $("status").textContent = plural(D.nodes.length, "box", "boxes") + ", " + plural(D.edges.length, "edge", "edges") +
        " · scroll to zoom, drag to move";
      document.body.dataset.ready = "1";
    });
  }
  // The same network always gets the same drawing: the layouts' random
  // start comes from a generator seeded with a constant.
  var random = Math.random, seed = 20260101;
  Math.random = function () {
    seed = (seed + 0x6D2B79F5) | 0;
    var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  var layoutStart = performance.now();
  if (big) {
    layoutInTwoPasses();
    drawn(Math.round(performance.now() - layoutStart));
  } else {
    var layout = cy.layout(opts({ packComponents: true, fit: true }));
    layout.one("layoutstop", function () { drawn(Math.round(performance.now() - layoutStart)); });
    layout.run();
  }

  // legend
  var legend = [["public", "public subnet"], ["private", "private subnet"], ["unknownsubnet", "route table not in the sources"],
    ["gateway", "internet gateway"], ["nat", "NAT gateway"], ["transit", "transit / VPN gateway"], ["peering", "peering"],
    ["service", "endpoint / load balancer"], ["firewall", "Network Firewall"], ["external", "not in the sources"]];
  $("legend").innerHTML = legend.map(function (l) {
    return '<span style="--sw-f:' + P[l[0]][0] + ";--sw-b:" + P[l[0]][1] + '">' + esc(l[1]) + "</span>";
  }).join("") + '<span style="--sw-f:#fff;--sw-b:#c0392b">red border: exposed, high</span>' +
    '<span style="--sw-f:#fff;--sw-b:#e8590c">orange: selected path</span>';

  // ---- highlighting -------------------------------------------------------
  var added = null;
  function clearHighlight() {
    cy.batch(function () {
      if (added) { cy.remove(added); added = null; }
      cy.elements().removeClass("faded hl");
    });
    $("selection").hidden = true;
    document.querySelectorAll("tbody tr.selected").forEach(function (tr) { tr.classList.remove("selected"); });
  }
  function highlight(pathIdx, title, reason, steps) {
    clearHighlight();
    var path = D.paths[pathIdx].map(function (i) { return cy.getElementById(D.nodes[i][0]); });
    var eles = cy.collection();
    cy.batch(function () {
      cy.elements().addClass("faded");
      path.forEach(function (n) { eles = eles.union(n); n.removeClass("faded").addClass("hl"); n.ancestors().removeClass("faded"); });
      // Draw the path between the boxes that hold no later step.
      var drawn = path.filter(function (n, k) {
        return !(n.isParent() && k + 1 < path.length && path[k + 1].ancestors().contains(n));
      });
      var edges = [];
      for (var k = 1; k < drawn.length; k++) {
        edges.push({ group: "edges", data: { id: "path-" + k, source: drawn[k - 1].id(), target: drawn[k].id() }, classes: "pathedge" });
      }
      added = cy.add(edges);
    });
    if (eles.length) {
      var bb = eles.boundingBox(), ex = cy.extent();
      if (bb.x1 < ex.x1 || bb.x2 > ex.x2 || bb.y1 < ex.y1 || bb.y2 > ex.y2) {
        cy.fit(eles, 80);
        if (cy.zoom() > 1.4) { cy.zoom({ level: 1.4, position: eles.boundingBox() && { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 } }); }
      }
    }
    $("sel-title").textContent = title;
    $("sel-reason").textContent = reason;
    $("sel-path").innerHTML = steps.map(function (s) { return "<li>" + esc(s) + "</li>"; }).join("");
    $("selection").hidden = false;
  }
  $("clear").addEventListener("click", clearHighlight);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") clearHighlight(); });

  // ---- tables -------------------------------------------------------------
  function table(panel, name, cols, rows, onSelect, emptyText) {
    var state = { sort: -1, dir: 1, filter: "", page: 0, order: rows.map(function (_, i) { return i; }) };
    var size = 100;
    panel.innerHTML = '<div class="tools"><label>Filter <input type="search" placeholder="any text in a row"></label>' +
      '<span class="count"></span><span class="pager"><button type="button" data-p="-1">‹ previous</button> ' +
      '<span class="pageno"></span> <button type="button" data-p="1">next ›</button></span></div>' +
      '<table id="table-' + name + '"><thead><tr>' + cols.map(function (c, i) {
        return '<th scope="col" aria-sort="none"><button type="button" data-col="' + i + '">' + esc(c.label) + "</button></th>";
      }).join("") + "</tr></thead><tbody></tbody></table>";
    var tbody = panel.querySelector("tbody"), input = panel.querySelector("input");
    var texts = null;
    function text(i) {
      if (!texts) texts = [];
      if (texts[i] === undefined) texts[i] = cols.map(function (c) { return String(c.text(rows[i])); }).join("\u0001").toLowerCase();
      return texts[i];
    }
    function apply() {
      var f = state.filter.toLowerCase();
      var order = rows.map(function (_, i) { return i; });
      if (f) order = order.filter(function (i) { return text(i).indexOf(f) >= 0; });
      if (state.sort >= 0) {
        var key = cols[state.sort].key, dir = state.dir;
        var keys = {};
        order.forEach(function (i) { keys[i] = key(rows[i]); });
        order.sort(function (a, b) {
          var x = keys[a], y = keys[b];
          return (x < y ? -1 : x > y ? 1 : a - b) * (x === y ? 1 : dir);
        });
      }
      state.order = order;
      state.page = Math.min(state.page, Math.max(0, Math.ceil(order.length / size) - 1));
      render();
    }
    function render() {
      var start = state.page * size, slice = state.order.slice(start, start + size);
      tbody.innerHTML = slice.length ? slice.map(function (i) {
        return '<tr tabindex="0" data-i="' + i + '">' + cols.map(function (c) {
          return '<td class="' + (c.cls || "") + '">' + c.render(rows[i]) + "</td>";
        }).join("") + "</tr>";
      }).join("") : '<tr><td class="empty" colspan="' + cols.length + '">' + esc(state.filter ? "No row matches the filter." : emptyText) + "</td></tr>";
      panel.querySelector(".count").textContent = state.order.length === rows.length ? plural(rows.length, "row", "rows") :
        state.order.length + " of " + rows.length + " rows";
      var pages = Math.max(1, Math.ceil(state.order.length / size));
      panel.querySelector(".pageno").textContent = "page " + (state.page + 1) + " of " + pages;
      panel.querySelector(".pager").hidden = pages < 2;
      panel.querySelectorAll("th").forEach(function (th, k) {
        th.setAttribute("aria-sort", k === state.sort ? (state.dir > 0 ? "ascending" : "descending") : "none");
      });
    }
    panel.querySelector("thead").addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b) return;
      var c = +b.dataset.col;
      if (state.sort === c) state.dir = -state.dir; else { state.sort = c; state.dir = cols[c].desc ? -1 : 1; }
      apply();
    });
    var timer = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.filter = input.value; state.page = 0; apply(); }, 150);
    });
    panel.querySelector(".pager").addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b) return;
      state.page = Math.max(0, Math.min(state.page + (+b.dataset.p), Math.ceil(state.order.length / size) - 1));
      render();
    });
    function choose(tr) {
      if (!tr || tr.dataset.i === undefined) return;
      onSelect(rows[+tr.dataset.i]);
      tr.classList.add("selected");
    }
    tbody.addEventListener("click", function (ev) { choose(ev.target.closest("tr")); });
    tbody.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); choose(ev.target.closest("tr")); } });
    render();
  }
  function sevCell(s) { return '<span class="sev sev-' + SEV[s] + '">' + SEV[s] + "</span>"; }
  function portsText(r) {
    var proto = S[r[3]];
    if (proto === "all" || proto === "other") return "all";
    if (r[4] === 0 && r[5] === 65535) return "all";
    if (proto === "icmp" || proto === "icmpv6") return r[4] === 0 && r[5] === 255 ? "all types" : r[4] === r[5] ? "type " + r[4] : "types " + r[4] + "-" + r[5];
    return r[4] === r[5] ? String(r[4]) : r[4] + "-" + r[5];
  }
  var str = function (k) { return function (r) { return S[r[k]]; }; };
  var strCell = function (k) { return function (r) { return esc(S[r[k]]); }; };
  table($("panel-exposure"), "exposure", [
    { label: "Resource", key: str(0), text: str(0), render: strCell(0), cls: "mono" },
    { label: "Address", key: str(1), text: str(1), render: strCell(1), cls: "mono" },
    { label: "From", key: str(2), text: str(2), render: strCell(2), cls: "mono" },
    { label: "Protocol", key: str(3), text: str(3), render: strCell(3) },
    { label: "Ports", key: function (r) { return r[4] * 65536 + r[5]; }, text: portsText, render: function (r) { return esc(portsText(r)); } },
    { label: "Sources", key: str(6), text: str(6), render: strCell(6), cls: "mono wrap" },
    { label: "Severity", key: function (r) { return r[7]; }, text: function (r) { return SEV[r[7]]; }, render: function (r) { return sevCell(r[7]); }, desc: true },
    { label: "Verdict", key: str(8), text: str(8), render: function (r) { return '<span class="verdict-' + esc(S[r[8]]) + '">' + esc(S[r[8]]) + "</span>"; } },
    { label: "Why", key: str(9), text: str(9), render: strCell(9), cls: "wrap" }
  ], D.exposure, function (r) {
    var steps = D.vias[r[10]].map(function (k) { return S[k]; });
    highlight(r[11], S[r[0]] + " " + S[r[3]] + "/" + portsText(r) + " from " + S[r[2]] + ": " + SEV[r[7]] + ", " + S[r[8]], S[r[9]], steps);
  }, D.notCollected && D.notCollected.length ?
    "No exposure finding in what the sources list; they did not list: " + D.notCollected.join("; ") + ", so this is no evidence that nothing is exposed there." :
    "No exposure finding: nothing in the sources can be reached from outside its VPC.");
  table($("panel-lint"), "lint", [
    { label: "Severity", key: function (r) { return r[1]; }, text: function (r) { return SEV[r[1]]; }, render: function (r) { return sevCell(r[1]); }, desc: true },
    { label: "Rule", key: str(0), text: str(0), render: function (r) { return '<span class="mono">' + esc(S[r[0]]) + "</span><br>" + esc(S[r[2]]); } },
    { label: "Resource", key: str(3), text: str(3), render: strCell(3), cls: "mono" },
    { label: "Message", key: str(4), text: str(4), render: strCell(4), cls: "wrap" },
    { label: "Location", key: str(5), text: str(5), render: strCell(5), cls: "mono" }
  ], D.lint, function (r) {
    var steps = D.paths[r[6]].map(function (i) { return D.nodes[i][0]; });
    highlight(r[6], S[r[0]] + " on " + S[r[3]] + ": " + SEV[r[1]], S[r[4]], steps.length ? steps : ["(not drawn)"]);
  }, "No lint finding.");
  $("panel-warnings").innerHTML = (D.notCollected && D.notCollected.length ? '<p class="note">Not collected (answers that depend on these are possibly-reachable): ' +
    esc(D.notCollected.join("; ")) + "</p>" : "") +
    (D.warnings.length ? "<ul>" + D.warnings.map(function (w) { return '<li class="mono">' + esc(w) + "</li>"; }).join("") + "</ul>" : '<p class="empty">No warnings.</p>');

  // tabs
  var tabs = [["exposure", "Exposure (" + D.exposure.length + ")"], ["lint", "Lint (" + D.lint.length + ")"],
    ["warnings", "Warnings (" + D.warnings.length + ")"]];
  tabs.forEach(function (t) {
    var b = $("tab-" + t[0]);
    b.textContent = t[1];
    b.addEventListener("click", function () {
      tabs.forEach(function (o) {
        $("tab-" + o[0]).setAttribute("aria-selected", String(o[0] === t[0]));
        $("panel-" + o[0]).hidden = o[0] !== t[0];
      });
    });
  });

  // For people who script the page and for the tests that drive it.
  window.vpcreach = {
    cy: cy,
    highlighted: function () { return cy.$("node.hl").map(function (n) { return n.id(); }); },
    pathEdges: function () { return cy.$("edge.pathedge").length; },
    clear: clearHighlight
  };
})();
