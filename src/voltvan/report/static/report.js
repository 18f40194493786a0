/* voltvan report: draws the plan on a Leaflet map without tiles and wires the per-van toggles.
 * All data and popup HTML come from the JSON block #vv-data, escaped by the Python side. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("vv-data").textContent);
  var map = L.map("vv-map", {
    zoomSnap: 0.25,
    attributionControl: false,
    preferCanvas: false,
  });
  L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(map);

  var layers = {};
  var lines = {};
  var numbered = [];
  var shown = {};
  var MAX_LABELS = 150;

  data.routes.forEach(function (r) {
    var group = L.featureGroup();
    var line = L.polyline(r.coords, {
      color: r.colour,
      weight: 3,
      opacity: 0.85,
      className: "vv-route",
    });
    line.bindTooltip(r.tooltip, { sticky: true });
    line.on("mouseover", function () { highlight(r.van, true); });
    line.on("mouseout", function () { highlight(r.van, false); });
    group.addLayer(line);
    lines[r.van] = line;
    r.points.forEach(function (p) {
      var m;
      if (p.kind === "charge") {
        m = L.circleMarker([p.lat, p.lon], {
          radius: 8, color: "#111", weight: 2, fillColor: "#ffd400", fillOpacity: 1,
          className: "vv-charge-visit",
        });
      } else {
        m = L.circleMarker([p.lat, p.lon], {
          radius: 4.5, color: "#fff", weight: 1, fillColor: r.colour, fillOpacity: 1,
          className: "vv-stop",
        });
      }
      m.bindPopup(p.popup);
      m.bindTooltip(p.tip, { direction: "top", offset: [0, -4] });
      group.addLayer(m);
      if (p.seq !== null && p.seq !== undefined) {
        /* The stop's number on the run sheet, shown once few enough stops are in view. */
        group.addLayer(L.marker([p.lat, p.lon], {
          icon: L.divIcon({ className: "vv-seq", html: String(p.seq), iconSize: null }),
          interactive: false,
          keyboard: false,
        }));
        numbered.push({ van: r.van, at: L.latLng(p.lat, p.lon) });
      }
    });
    group.addTo(map);
    layers[r.van] = group;
    shown[r.van] = true;
  });

  function icon(cls, text) {
    return L.divIcon({ className: "vv-icon " + cls, html: text, iconSize: null });
  }
  data.chargers.forEach(function (c) {
    L.marker([c.lat, c.lon], {
      icon: icon(c.used ? "vv-charger vv-charger-used" : "vv-charger", "\u26A1"),
      zIndexOffset: c.used ? 500 : 0,
    }).bindPopup(c.popup).addTo(map);
  });
  data.unassigned.forEach(function (u) {
    L.marker([u.lat, u.lon], { icon: icon("vv-unassigned", "\u2716"), zIndexOffset: 800 })
      .bindPopup(u.popup).bindTooltip(u.tip).addTo(map);
  });
  data.depots.forEach(function (d) {
    L.marker([d.lat, d.lon], { icon: icon("vv-depot", "D"), zIndexOffset: 1000 })
      .bindPopup(d.popup).addTo(map);
  });
  /* Stop numbers: on when at most MAX_LABELS numbered stops of the shown vans are in view. */
  function updateLabels() {
    var view = map.getBounds();
    var n = 0;
    numbered.forEach(function (s) { if (shown[s.van] && view.contains(s.at)) { n += 1; } });
    map.getContainer().classList.toggle("vv-show-seq", n <= MAX_LABELS);
  }
  map.on("moveend", updateLabels);

  /* Printing resizes the map: show the same area on paper, and the same view again after. */
  var printMedia = window.matchMedia("print");
  var screenView = null;
  map.on("moveend", function () {
    if (!printMedia.matches) {
      screenView = { bounds: map.getBounds(), center: map.getCenter(), zoom: map.getZoom() };
    }
  });
  printMedia.addEventListener("change", function (e) {
    if (!screenView) { return; }
    map.invalidateSize({ animate: false });
    if (e.matches) {
      map.fitBounds(screenView.bounds, { animate: false });
    } else {
      map.setView(screenView.center, screenView.zoom, { animate: false });
    }
  });

  /* The depots and the stops, without stops far outside the others (drawn all the same):
   * one stray geocode must not zoom the day out to a continent. */
  map.fitBounds(L.latLngBounds(data.view), { padding: [24, 24], maxZoom: 16 });
  updateLabels();

  function chartLine(van) {
    return document.querySelector('#vv-soc-chart g.vv-soc[data-van="' + CSS.escape(van) + '"]');
  }
  function timelineRow(van) {
    return document.querySelector('#vv-timeline g.vv-tl[data-van="' + CSS.escape(van) + '"]');
  }
  function highlight(van, on) {
    var line = lines[van];
    if (line) {
      line.setStyle({ weight: on ? 6 : 3, opacity: on ? 1 : 0.85 });
      if (on) { line.bringToFront(); }
    }
    var g = chartLine(van);
    if (g) { g.classList.toggle("vv-hot", on); }
    var t = timelineRow(van);
    if (t) { t.classList.toggle("vv-hot", on); }
    var row = document.querySelector('tr[data-van="' + CSS.escape(van) + '"]');
    if (row) { row.classList.toggle("vv-hot", on); }
  }
  function show(van, on) {
    var group = layers[van];
    if (group) { if (on) { group.addTo(map); } else { map.removeLayer(group); } }
    shown[van] = on;
    updateLabels();
    var g = chartLine(van);
    if (g) { g.style.display = on ? "" : "none"; }
    var t = timelineRow(van);
    if (t) { t.style.opacity = on ? "" : "0.25"; }
  }

  var toggles = Array.prototype.slice.call(document.querySelectorAll("input.vv-toggle"));
  toggles.forEach(function (box) {
    box.addEventListener("change", function () { show(box.dataset.van, box.checked); });
    var label = box.closest("label");
    if (label) {
      label.addEventListener("mouseenter", function () { highlight(box.dataset.van, true); });
      label.addEventListener("mouseleave", function () { highlight(box.dataset.van, false); });
    }
  });
  function setAll(on) {
    toggles.forEach(function (box) { box.checked = on; show(box.dataset.van, on); });
  }
  var all = document.getElementById("vv-all");
  var none = document.getElementById("vv-none");
  if (all) { all.addEventListener("click", function () { setAll(true); }); }
  if (none) { none.addEventListener("click", function () { setAll(false); }); }

  document.querySelectorAll("#vv-soc-chart g.vv-soc, #vv-timeline g.vv-tl").forEach(function (g) {
    g.addEventListener("mouseenter", function () { highlight(g.dataset.van, true); });
    g.addEventListener("mouseleave", function () { highlight(g.dataset.van, false); });
  });

  /* A click on a route row zooms the map to that van alone. */
  document.querySelectorAll("tr[data-van]").forEach(function (row) {
    row.addEventListener("click", function () {
      var van = row.dataset.van;
      toggles.forEach(function (box) {
        var on = box.dataset.van === van;
        box.checked = on;
        show(box.dataset.van, on);
      });
      var group = layers[van];
      if (group) { map.fitBounds(group.getBounds(), { padding: [24, 24] }); }
      document.getElementById("vv-map").scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });

  /* Run sheets: folded on screen, unfolded for printing; a button prints one van or all. */
  var sheets = Array.prototype.slice.call(document.querySelectorAll("details.vv-runsheet"));
  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = sheets.map(function (d) { return d.open; });
    sheets.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    sheets.forEach(function (d, i) { d.open = wasOpen[i] || false; });
    delete document.body.dataset.print;
    sheets.forEach(function (d) { d.classList.remove("vv-print-me"); });
  });
  document.querySelectorAll("button.vv-print-one").forEach(function (b) {
    b.addEventListener("click", function (e) {
      e.preventDefault();
      e.stopPropagation();
      sheets.forEach(function (d) { d.classList.toggle("vv-print-me", d.dataset.van === b.dataset.van); });
      document.body.dataset.print = "van";
      window.print();
    });
  });
  var printAll = document.getElementById("vv-print-sheets");
  if (printAll) {
    printAll.addEventListener("click", function () {
      document.body.dataset.print = "sheets";
      window.print();
    });
  }
  var unfold = document.getElementById("vv-open-sheets");
  if (unfold) {
    unfold.addEventListener("click", function () {
      var open = sheets.some(function (d) { return !d.open; });
      sheets.forEach(function (d) { d.open = open; });
      unfold.textContent = open ? "Fold all" : "Unfold all";
    });
  }

  /* Sortable tables: click a header; numbers sort by their data-v value. */
  document.querySelectorAll("table.vv-sortable th").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var dir = th.dataset.dir === "asc" ? -1 : 1;
      table.querySelectorAll("th").forEach(function (h) { delete h.dataset.dir; });
      th.dataset.dir = dir === 1 ? "asc" : "desc";
      var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
      rows.sort(function (a, b) {
        var x = a.cells[idx], y = b.cells[idx];
        var xv = x.dataset.v !== undefined ? parseFloat(x.dataset.v) : x.textContent;
        var yv = y.dataset.v !== undefined ? parseFloat(y.dataset.v) : y.textContent;
        return (xv < yv ? -1 : xv > yv ? 1 : 0) * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
