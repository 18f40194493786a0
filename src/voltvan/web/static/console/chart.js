/* voltvan fleet console: the day's SoC and speed of one van as plain SVG, and the sparklines. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function hhmm(t) {
    var m = Math.round(t / 60);
    var h = Math.floor(m / 60) % 24;
    return (h < 10 ? "0" : "") + h + ":" + ("0" + (m % 60)).slice(-2);
  }

  function points(series, x, y) {
    return series.map(function (p) { return x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1); }).join(" ");
  }

  /* One panel: a y axis with ticks, gridlines and a title, in [top, top + h). */
  function panel(svg, o) {
    var y = function (v) { return o.top + o.h - (v - o.min) / (o.max - o.min) * o.h; };
    o.ticks.forEach(function (v) {
      el("line", { x1: o.left, x2: o.right, y1: y(v), y2: y(v), "class": "vc-grid" }, svg);
      var t = el("text", { x: o.left - 6, y: y(v) + 4, "text-anchor": "end", "class": "vc-tick" }, svg);
      t.textContent = v + o.unit;
    });
    var label = el("text", { x: o.left + 6, y: o.top + 14, "class": "vc-label" }, svg);
    label.textContent = o.title;
    return y;
  }

  /* spec: {soc: [[t_s, pct]], speed: [[t_s, kmh]], planned: [[t_s, fraction]], from_s, to_s,
   *        now_s, colour, reserve_pct} */
  function draw(box, spec) {
    box.textContent = "";
    var w = Math.max(box.clientWidth, 300), h = Math.max(box.clientHeight, 160);
    var svg = el("svg", { viewBox: "0 0 " + w + " " + h, role: "img",
                          "aria-label": "state of charge and speed over the day" }, box);
    var left = 46, right = w - 14, gap = 16, top = 8, bottom = h - 20;
    var socH = Math.round((bottom - top - gap) * 0.62), spdTop = top + socH + gap;
    var from = spec.from_s, to = Math.max(spec.to_s, from + 3600);
    var x = function (t) { return left + (t - from) / (to - from) * (right - left); };
    var clip = function (s) { return s.filter(function (p) { return p[0] >= from && p[0] <= to; }); };
    var ySoc = panel(svg, { top: top, h: socH, left: left, right: right, min: 0, max: 100,
                            ticks: [0, 25, 50, 75, 100], unit: "%", title: "state of charge" });
    var maxSpeed = Math.max(60, Math.ceil(Math.max.apply(null, [0].concat(
      spec.speed.map(function (p) { return p[1]; }))) / 20) * 20);
    var ySpd = panel(svg, { top: spdTop, h: bottom - spdTop, left: left, right: right, min: 0,
                            max: maxSpeed, ticks: [0, maxSpeed / 2, maxSpeed], unit: "",
                            title: "speed km/h" });
    el("line", { x1: left, x2: right, y1: ySoc(spec.reserve_pct), y2: ySoc(spec.reserve_pct),
                 "class": "vc-reserve" }, svg);
    for (var hr = Math.ceil(from / 3600); hr * 3600 <= to; hr++) {
      var t = el("text", { x: x(hr * 3600), y: h - 5, "text-anchor": "middle", "class": "vc-tick" }, svg);
      t.textContent = hhmm(hr * 3600);
      el("line", { x1: x(hr * 3600), x2: x(hr * 3600), y1: 0, y2: bottom, "class": "vc-grid" }, svg);
    }
    el("line", { x1: left, x2: left, y1: 0, y2: bottom, "class": "vc-axis" }, svg);
    el("line", { x1: left, x2: right, y1: bottom, y2: bottom, "class": "vc-axis" }, svg);
    var planned = clip(spec.planned.map(function (p) { return [p[0], p[1] * 100]; }));
    if (planned.length) {
      el("polyline", { points: points(planned, x, ySoc), stroke: spec.colour,
                       "class": "vc-plan-line vc-soc-plan" }, svg);
    }
    var soc = clip(spec.soc);
    if (soc.length) {
      el("polyline", { points: points(soc, x, ySoc), stroke: spec.colour,
                       "class": "vc-line vc-soc-actual" }, svg);
    }
    var speed = clip(spec.speed);
    if (speed.length) {
      el("polyline", { points: points(speed, x, ySpd), stroke: "#5d6878",
                       "class": "vc-line vc-speed" }, svg);
    }
    if (spec.now_s >= from && spec.now_s <= to) {
      el("line", { x1: x(spec.now_s), x2: x(spec.now_s), y1: 0, y2: bottom, "class": "vc-now" }, svg);
      var n = el("text", { x: x(spec.now_s) + 4, y: bottom - 4, "class": "vc-tick" }, svg);
      n.textContent = "now";
    }
    var key = el("text", { x: right - 4, y: top + 14, "text-anchor": "end", "class": "vc-tick" }, svg);
    key.textContent = "solid: measured · dashed: plan · red: reserve";
  }

  /* A sparkline of SoC (percent) over [from, to] as an SVG string. */
  function spark(series, from, to, colour) {
    var w = 96, h = 26;
    var x = function (t) { return (t - from) / Math.max(to - from, 1) * w; };
    var y = function (v) { return h - 2 - v / 100 * (h - 4); };
    var s = series.filter(function (p) { return p[0] >= from && p[0] <= to; });
    var line = s.length ? '<polyline fill="none" stroke-width="1.6" stroke="' + colour +
      '" points="' + points(s, x, y) + '"/>' : "";
    return '<svg class="vc-spark" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + " " + h +
      '"><rect width="' + w + '" height="' + h + '" fill="#f3f5f8" rx="3"/>' +
      '<line x1="0" x2="' + w + '" y1="' + y(10) + '" y2="' + y(10) +
      '" stroke="#d33a2c" stroke-dasharray="3 3" stroke-width="0.8"/>' + line + "</svg>";
  }

  window.VCChart = { draw: draw, spark: spark, hhmm: hhmm };
})();
