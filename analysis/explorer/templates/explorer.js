(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("explorer-data").textContent);
  var plot = document.getElementById("plot");
  var NS = plot.namespaceURI;
  var W = 660, H = 440, M = {l: 52, r: 16, t: 14, b: 42};
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function keysInOrder(o) {
    return Object.keys(o).map(Number).sort(function (a, b) { return a - b; });
  }
  function num(x) { return x === null ? "n/a" : x.toLocaleString("en"); }
  var termIndex = {};
  D.terms.forEach(function (t, i) { termIndex[t] = i; });
  var byKey = {};
  D.comparisons.forEach(function (c) {
    byKey[c.first + "|" + (c.second === null ? -1 : c.second)] = c;
  });
  var current = null, selected = null;

  $("title").textContent = D.title;
  D.notes.forEach(function (n, i) {  // a plain summary, then the small print
    $("notes").appendChild(el("p", n, i === 0 ? "summary" : "small"));
  });

  function groupName(i) { return i < 0 ? "the rest" : D.groups[i]; }
  function restTokens(first) {
    var total = 0, ok = true;
    D.tokens.forEach(function (t, i) {
      if (i !== first) { if (t === null) ok = false; else total += t; }
    });
    return ok ? total : null;
  }
  function comparison(first, second) {
    var c = byKey[first + "|" + second];
    if (c) return {first: first, second: second, rows: c.rows};
    c = second >= 0 ? byKey[second + "|" + first] : null;
    if (!c) return null;
    return {first: first, second: second, rows: c.rows.map(function (r) {
      return [r[0], r[2], r[1], r[3] === null ? null : -r[3], r[4]];
    })};
  }
  function partners(first) {
    var found = [-1];
    D.groups.forEach(function (g, j) {
      if (j !== first && (byKey[first + "|" + j] || byKey[j + "|" + first])) found.push(j);
    });
    return found;
  }
  function fillFirst() {
    var s = $("first");
    D.groups.forEach(function (g, i) {
      if (byKey[i + "|-1"]) { var o = el("option", g); o.value = String(i); s.appendChild(o); }
    });
  }
  function fillSecond() {
    var s = $("second"), keep = s.value;
    clear(s);
    partners(Number($("first").value)).forEach(function (j) {
      var o = el("option", groupName(j)); o.value = String(j); s.appendChild(o);
    });
    if (keep && Array.prototype.some.call(s.options, function (o) { return o.value === keep; })) {
      s.value = keep;
    }
  }
  function color(i) { return i < 0 ? "#8c8c8c" : D.colors[i]; }
  function rate(count, tokens) {
    return tokens ? (1000 * count / tokens).toFixed(2) + " per 1,000 words" : "";
  }
  function describe(r) {
    var f = current.first, s = current.second;
    var tf = D.tokens[f], ts = s < 0 ? restTokens(f) : D.tokens[s];
    return D.terms[r[0]] + "\n" + groupName(f) + ": " + num(r[1]) + " (" + rate(r[1], tf) +
      ")\n" + groupName(s) + ": " + num(r[2]) + " (" + rate(r[2], ts) + ")\nz = " +
      num(r[3]) + ", q = " + num(r[4]);
  }
  function showTip(evt, r) {
    var tip = $("tooltip"), box = $("plot-box").getBoundingClientRect();
    tip.textContent = describe(r);
    tip.hidden = false;
    tip.style.left = Math.min(evt.clientX - box.left + 12, box.width - 180) + "px";
    tip.style.top = (evt.clientY - box.top + 12) + "px";
  }
  function draw() {
    clear(plot);
    var rows = current.rows.filter(function (r) { return r[3] !== null; });
    if (!rows.length) {
      plot.appendChild(sv("text", {x: W / 2, y: H / 2, "text-anchor": "middle"}, "No terms."));
      return;
    }
    var xs = rows.map(function (r) { return Math.log10(Math.max(r[1] + r[2], 1)); });
    var x0 = Math.floor(Math.min.apply(null, xs)), x1 = Math.ceil(Math.max.apply(null, xs));
    if (x1 === x0) x1 = x0 + 1;
    var zmax = Math.max.apply(null, rows.map(function (r) { return Math.abs(r[3]); }));
    zmax = Math.max(1, Math.ceil(zmax));
    function X(v) { return M.l + (v - x0) / (x1 - x0) * (W - M.l - M.r); }
    function Y(z) { return M.t + (zmax - z) / (2 * zmax) * (H - M.t - M.b); }
    plot.appendChild(sv("line", {x1: M.l, x2: M.l, y1: M.t, y2: H - M.b, "class": "axis"}));
    plot.appendChild(sv("line", {x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b, "class": "axis"}));
    plot.appendChild(sv("line", {x1: M.l, x2: W - M.r, y1: Y(0), y2: Y(0), "class": "zero"}));
    for (var e = x0; e <= x1; e++) {
      plot.appendChild(sv("text", {x: X(e), y: H - M.b + 16,
        "text-anchor": e === x1 ? "end" : "middle"}, Math.pow(10, e).toLocaleString("en")));
    }
    [-zmax, -zmax / 2, 0, zmax / 2, zmax].forEach(function (z) {
      plot.appendChild(sv("text", {x: M.l - 6, y: Y(z) + 4, "text-anchor": "end"},
        Math.round(z * 10) / 10));
    });
    plot.appendChild(sv("text", {x: (M.l + W - M.r) / 2, y: H - 6, "text-anchor": "middle"},
      "frequency in the two sides (log scale)"));
    plot.appendChild(sv("text", {x: 14, y: (M.t + H - M.b) / 2, "text-anchor": "middle",
      transform: "rotate(-90 14 " + (M.t + H - M.b) / 2 + ")"}, "log-odds z"));
    plot.appendChild(sv("text", {x: W - M.r, y: M.t + 10, "text-anchor": "end",
      fill: color(current.first)}, "more in " + groupName(current.first)));
    plot.appendChild(sv("text", {x: W - M.r, y: H - M.b - 6, "text-anchor": "end",
      fill: color(current.second)}, "more in " + groupName(current.second)));
    var labelled = {}, ties = {}, placed = [];
    rows.slice(0, 8).concat(rows.slice(-8)).forEach(function (r) { labelled[r[0]] = true; });
    function free(x, y, w) {
      return placed.every(function (b) {
        return x + w < b[0] || b[0] + b[2] < x || y + 11 < b[1] || b[1] + 11 < y;
      });
    }
    rows.forEach(function (r, i) {
      var px = X(xs[i]), py = Y(r[3]), key = Math.round(px / 3) + "," + Math.round(py / 3);
      var n = ties[key] = (ties[key] || 0) + 1;  // spread tied points on a small spiral
      px += 5.5 * Math.sqrt(n - 1) * Math.cos(2.39996 * (n - 1));
      py += 5.5 * Math.sqrt(n - 1) * Math.sin(2.39996 * (n - 1));
      var side = r[3] >= 0 ? color(current.first) : color(current.second);
      var passed = r[4] !== null && r[4] < 0.05;  // as the figures: filled when q < 0.05
      var c = sv("circle", {cx: px.toFixed(1), cy: py.toFixed(1), r: 4,
        "class": passed ? "pt" : "pt hollow", fill: passed ? side : "#fff", stroke: side,
        tabindex: "0", role: "button", "aria-label": D.terms[r[0]], "data-term": D.terms[r[0]]});
      if (r[0] === selected) c.classList.add("on");
      c.addEventListener("mousemove", function (evt) { showTip(evt, r); });
      c.addEventListener("mouseleave", function () { $("tooltip").hidden = true; });
      c.addEventListener("click", function () { showContexts(r[0]); });
      c.addEventListener("keydown", function (evt) {
        if (evt.key === "Enter" || evt.key === " ") showContexts(r[0]);
      });
      plot.appendChild(c);
      var w = 6 * D.terms[r[0]].length, lx = Math.min(px + 6, W - M.r - w), ly = py - 5;
      if (labelled[r[0]] && free(lx, ly - 9, w)) {
        placed.push([lx, ly - 9, w]);
        plot.appendChild(sv("text", {x: lx.toFixed(1), y: ly.toFixed(1), "class": "label"},
          D.terms[r[0]]));
      }
    });
  }
  function list(id, head, rows, g) {
    $(head).textContent = "More in " + groupName(g);
    var ol = $(id);
    clear(ol);
    rows.forEach(function (r) {
      var li = el("li"), b = el("button", D.terms[r[0]]);
      b.type = "button";
      b.className = "term";
      b.setAttribute("data-term", D.terms[r[0]]);
      b.title = describe(r);
      b.addEventListener("click", function () { showContexts(r[0]); });
      li.appendChild(b);
      li.appendChild(document.createTextNode(" z = " + num(r[3])));
      ol.appendChild(li);
    });
  }
  function update() {
    var f = Number($("first").value), s = Number($("second").value);
    current = comparison(f, s);
    if (!current) return;
    draw();
    var rows = current.rows.filter(function (r) { return r[3] !== null; });
    list("list-first", "head-first", rows.filter(function (r) { return r[3] > 0; }), f);
    list("list-second", "head-second",
      rows.filter(function (r) { return r[3] < 0; }).reverse(), s);
    $("plot-caption").textContent = groupName(f) + " against " + groupName(s) + ": " +
      rows.length + " words (the most leaning ones: see the small print above). Hover for " +
      "counts; click to read a word in context.";
    if (selected !== null) showContexts(selected);
  }
  function showContexts(t) {
    selected = t;
    Array.prototype.forEach.call(plot.querySelectorAll(".pt"), function (c) {
      c.classList.toggle("on", c.getAttribute("data-term") === D.terms[t]);
    });
    var found = D.contexts[t] || [], body = $("contexts-body");
    clear(body);
    $("contexts-title").textContent = "\u201c" + D.terms[t] + "\u201d in context: " +
      found.length + (found.length === D.caps.max_contexts ? " contexts (the cap)" :
      " contexts") + ", grouped by " + (D.group_by === "outlet" ? "outlet" : D.group_by +
      " and outlet") + " and voice";
    if (!found.length) {
      body.appendChild(el("p", "No context kept for this term.", "note"));
      return;
    }
    var order = [];
    if (current) {
      order.push(current.first);
      if (current.second >= 0) order.push(current.second);
    }
    D.groups.forEach(function (g, i) { if (order.indexOf(i) < 0) order.push(i); });
    order.forEach(function (g) {
      var mine = found.filter(function (c) { return c[0] === g; });
      if (!mine.length) return;
      var byOutlet = {};
      mine.forEach(function (c) { (byOutlet[c[1]] = byOutlet[c[1]] || []).push(c); });
      keysInOrder(byOutlet).forEach(function (o) {
        var head = el("div", null, "group-head");
        var sw = el("span", null, "swatch");
        sw.style.background = color(g);
        head.appendChild(sw);
        var label = D.group_by === "outlet" || D.groups[g] === D.outlets[o] ? D.outlets[o] :
          D.groups[g] + " \u00b7 " + D.outlets[o];
        head.appendChild(document.createTextNode(label));
        body.appendChild(head);
        var voices = {};
        byOutlet[o].forEach(function (c) { (voices[c[2]] = voices[c[2]] || []).push(c); });
        keysInOrder(voices).forEach(function (v) {
          body.appendChild(el("div", v < 0 ? "voice unknown" : D.voices[v], "voice-head"));
          var box = el("div", null, "kwic");
          voices[v].forEach(function (c) {
            var row = el("div", null, "context"), l = el("span", null, "l");
            var r = el("span", null, "r");
            l.appendChild(el("span", c[4]));
            r.appendChild(el("span", c[6]));
            row.appendChild(l);
            row.appendChild(el("span", c[5], "m"));
            row.appendChild(r);
            var a = D.articles[c[3]];
            row.title = a[0] + (a[1] ? " \u2014 " + a[1] : "");
            box.appendChild(row);
          });
          body.appendChild(box);
        });
      });
    });
  }
  function search() {
    var q = $("search").value.trim().toLowerCase(), msg = $("search-message");
    if (!q) return;
    if (termIndex.hasOwnProperty(q)) {
      msg.textContent = "";
      showContexts(termIndex[q]);
    } else {
      msg.textContent = "\u201c" + q + "\u201d is not among the " + D.terms.length +
        " words in this file (see the small print above).";
    }
  }
  D.terms.forEach(function (t) { var o = document.createElement("option"); o.value = t;
    $("term-list").appendChild(o); });
  $("go").addEventListener("click", search);
  $("search").addEventListener("keydown", function (evt) { if (evt.key === "Enter") search(); });
  $("first").addEventListener("change", function () { fillSecond(); update(); });
  $("second").addEventListener("change", update);
  fillFirst();
  if ($("first").options.length) { fillSecond(); update(); }
{% if topics %}
  // the topics view: each topic's words, each outlet's share, the articles it fills most
  var T = D.topics, topicRow = {};
  function pct(x) { return x === null ? "n/a" : (100 * x).toFixed(1) + "%"; }
  function outletColor(o) {
    var g = T.outlet_groups[o];
    return g >= 0 ? D.colors[g] : "#8c8c8c";
  }
  function marked(r) { return r[5] !== null && r[5] < 0.05; }
  function shareText(r) {
    var text = T.outlets[r[0]] + ": " + pct(r[1]);
    if (r[2] !== null) text += " (95% interval " + pct(r[2]) + " to " + pct(r[3]) + ")";
    text += "; the rest " + pct(r[4]) + ", q = " + num(r[5]);
    return text;
  }
  function topicWords(t) {
    var seen = {}, found = [];
    t.frex.concat(t.probable).forEach(function (w) {
      if (!seen.hasOwnProperty(w)) { seen[w] = true; found.push(w); }
    });
    return found;
  }
  function wordLink(w) {
    if (!termIndex.hasOwnProperty(w)) return el("span", w);
    var b = el("button", w, "term");
    b.type = "button";
    b.setAttribute("data-term", w);
    b.title = "Read \u201c" + w + "\u201d in context (distinctive words above)";
    b.addEventListener("click", function () {
      showContexts(termIndex[w]);
      $("contexts").scrollIntoView();
    });
    return b;
  }
  function highlighted(text, words) {  // the topic's words marked, as text nodes only
    var box = el("p", null, "opening");
    if (!words.length) { box.textContent = text; return box; }
    var escaped = words.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (w) { return w.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&"); });
    var re = new RegExp("(?<![\\p{L}\\p{N}_])(?:" + escaped.join("|") +
      ")(?![\\p{L}\\p{N}_])", "giu");
    var at = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (!m[0].length) { re.lastIndex++; continue; }
      if (m.index > at) box.appendChild(document.createTextNode(text.slice(at, m.index)));
      box.appendChild(el("mark", m[0]));
      at = m.index + m[0].length;
    }
    if (at < text.length) box.appendChild(document.createTextNode(text.slice(at)));
    return box;
  }
  function showTopic(i) {
    var t = T.list[i];
    Object.keys(topicRow).forEach(function (k) {
      topicRow[k].classList.toggle("on", Number(k) === i);
    });
    $("topic-title").textContent = "Topic " + t.label + ": its articles";
    var words = $("topic-words");
    clear(words);
    [["FREX words: ", t.frex], ["Most probable words: ", t.probable]].forEach(function (p) {
      var line = el("p", p[0]);
      p[1].forEach(function (w, j) {
        if (j) line.appendChild(document.createTextNode(", "));
        line.appendChild(wordLink(w));
      });
      words.appendChild(line);
    });
    var table = $("topic-shares");
    clear(table);
    table.hidden = !t.outlets.length;
    var head = el("tr");
    ["Outlet", "Articles", "Share", "95% interval", "", "The rest", "q", ""].forEach(
      function (h) { head.appendChild(el("th", h)); });
    table.appendChild(head);
    var top = 1e-9;
    t.outlets.forEach(function (r) { top = Math.max(top, r[1] || 0, r[3] || 0); });
    t.outlets.forEach(function (r) {
      var tr = el("tr"), name = el("td"), sw = el("span", null, "swatch");
      sw.style.background = outletColor(r[0]);
      name.appendChild(sw);
      name.appendChild(document.createTextNode(T.outlets[r[0]]));
      tr.appendChild(name);
      tr.appendChild(el("td", num(T.outlet_articles[r[0]]), "num"));
      tr.appendChild(el("td", pct(r[1]), "num"));
      tr.appendChild(el("td", r[2] === null ? "none" : pct(r[2]) + " to " + pct(r[3])));
      var cell = el("td"), bar = el("span", null, "bar"), fill = el("span", null, "fill");
      fill.style.width = (100 * (r[1] || 0) / top).toFixed(1) + "%";
      bar.appendChild(fill);
      if (r[2] !== null) {
        var ci = el("span", null, "ci");
        ci.style.left = (100 * r[2] / top).toFixed(1) + "%";
        ci.style.width = (100 * (r[3] - r[2]) / top).toFixed(1) + "%";
        bar.appendChild(ci);
      }
      cell.appendChild(bar);
      tr.appendChild(cell);
      tr.appendChild(el("td", pct(r[4]), "num"));
      tr.appendChild(el("td", num(r[5]), "num"));
      tr.appendChild(el("td", marked(r) ? "\u25cf differs from the rest" : ""));
      tr.className = marked(r) ? "marked" : "";
      table.appendChild(tr);
    });
    var body = $("topic-articles"), mark = topicWords(t);
    clear(body);
    if (!t.articles.length) {
      body.appendChild(el("p", "No article kept for this topic.", "note"));
      return;
    }
    var byOutlet = {};
    t.articles.forEach(function (a) { (byOutlet[a[0]] = byOutlet[a[0]] || []).push(a); });
    keysInOrder(byOutlet).forEach(function (o) {
      var group = el("div", null, "group-head"), sw = el("span", null, "swatch");
      sw.style.background = outletColor(o);
      group.appendChild(sw);
      group.appendChild(document.createTextNode(T.outlets[o]));
      body.appendChild(group);
      byOutlet[o].forEach(function (a) {
        var article = T.articles[a[1]], box = el("div", null, "topic-article");
        box.setAttribute("data-article", article[0]);
        box.appendChild(el("div", article[1] || "(no title)", "title"));
        box.appendChild(el("div", "the topic is " + pct(a[3]) + " of its words; the " +
          (["", "first", "second", "third"][a[2]] || "no. " + a[2]) + " article of " +
          T.outlets[o] + " for it \u00b7 " + article[0], "meta"));
        box.appendChild(highlighted(article[2], mark));
        body.appendChild(box);
      });
    });
  }
  T.notes.forEach(function (n, i) {
    $("topic-notes").appendChild(el("p", n, i === 0 ? "summary" : "small"));
  });
  T.list.forEach(function (t, i) {
    var tr = el("tr"), first = el("td"), b = el("button", t.label, "topic");
    b.type = "button";
    b.setAttribute("data-topic", String(t.topic));
    b.addEventListener("click", function () { showTopic(i); });
    first.appendChild(b);
    tr.appendChild(first);
    tr.appendChild(el("td", t.frex.join(", "), "words"));
    tr.appendChild(el("td", t.probable.join(", "), "words"));
    tr.appendChild(el("td", t.community === null ? "" : t.community, "num"));
    tr.appendChild(el("td", pct(t.share), "num"));
    var cells = el("td", null, "cells"), top = 1e-9;
    t.outlets.forEach(function (r) { top = Math.max(top, r[1] || 0); });
    t.outlets.forEach(function (r) {
      var c = el("span", marked(r) ? "\u25cf" : null, "cell");
      var v = r[1] === null ? 0 : r[1] / top;
      c.style.background = "rgba(33, 102, 172, " + (0.08 + 0.92 * v).toFixed(2) + ")";
      if (v > 0.55) c.style.color = "#fff";
      c.title = shareText(r);
      cells.appendChild(c);
    });
    tr.appendChild(cells);
    topicRow[i] = tr;
    $("topic-list").tBodies[0].appendChild(tr);
  });
  $("to-topics").addEventListener("click", function () { $("topics").scrollIntoView(); });
{% endif %}
  document.body.setAttribute("data-ready", "true");
})();
