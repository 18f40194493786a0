/* voltvan fleet console: signs a dispatcher in, reads the live feed (/v1/ops/live, Server-Sent
 * Events, read by feed.js), and draws vans, routes, progress, alerts and the chart. Everything
 * shown comes from the feed; nothing is fetched from anywhere but this server. */
(function () {
  "use strict";
  var PALETTE = ["#2f6fd6", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#0b7285", "#e67700",
                 "#5f3dc4", "#a61e4d", "#087f5b", "#364fc7", "#7c5b00"];
  var KEY = "voltvan-console-secret";
  var params = new URLSearchParams(location.search);
  var tz = params.get("tz") || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  var day = params.get("day") || localDay();
  var state = null;           // the last snapshot, updated in place
  var colours = {};
  var vanMarkers = {}, stopMarkers = {}, layers = null;
  var selected = params.get("van");
  var lastUpdate = 0, abort = null, fitted = false;

  var map = L.map("vc-map", { zoomSnap: 0.25, attributionControl: false, preferCanvas: false });
  L.control.scale({ metric: true, imperial: false, maxWidth: 140 }).addTo(map);
  map.setView([52.5, 13.4], 11);

  function localDay() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }
  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pct(x) { return x == null ? "—" : Math.round(x) + "%"; }

  // -- sign-in ------------------------------------------------------------------------------
  function secret() { return sessionStorage.getItem(KEY); }
  function askSecret(message) {
    $("vc-login").hidden = false;
    $("vc-login-error").textContent = message || "";
    $("vc-secret").focus();
  }
  $("vc-login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem(KEY, $("vc-secret").value.trim());
    $("vc-login").hidden = true;
    connect();
  });
  $("vc-signout").addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    if (abort) abort.abort();
    askSecret("");
  });

  // -- the feed ------------------------------------------------------------------------------
  function status(kind, text) {
    $("vc-status").dataset.state = kind;
    $("vc-status").querySelector("span").textContent = text;
  }

  function connect() {
    if (!secret()) { askSecret(""); return; }
    if (abort) abort.abort();
    abort = new AbortController();
    status("connecting", "connecting…");
    var url = "/v1/ops/live?day=" + encodeURIComponent(day) + "&tz=" + encodeURIComponent(tz);
    VCFeed.open(url, secret(), abort.signal, {
      event: dispatch,
      denied: function (message) {
        sessionStorage.removeItem(KEY);
        askSecret(message);
        status("lost", "signed out");
      },
      lost: function (message) {
        status("lost", "reconnecting… (" + message + ")");
        setTimeout(connect, 3000);
      },
    });
  }

  function dispatch(event, body) {
    lastUpdate = Date.now();
    if (event === "snapshot") onSnapshot(body);
    else if (state && event === "vans") onVans(body);
    else if (state && event === "progress") onProgress(body);
  }

  // -- drawing -------------------------------------------------------------------------------
  function onSnapshot(s) {
    state = s;
    $("vc-replan").disabled = false;
    $("vc-day").innerHTML = "<b>" + esc(s.day) + "</b> · plan version <b>" + s.plan_version +
      "</b> · " + esc(s.scenario) + " · " + esc(s.tz);
    s.routes.forEach(function (r, i) { colours[r.van_id] = PALETTE[i % PALETTE.length]; });
    if (!selected || !s.routes.some(function (r) { return r.van_id === selected; })) {
      selected = s.routes.length ? s.routes[0].van_id : null;
    }
    drawPlan();
    Object.keys(s.live).forEach(function (v) { placeVan(v, s.live[v]); });
    onProgress(s);
    status("live", "live");
  }

  function drawPlan() {
    if (layers) layers.remove();
    layers = L.featureGroup().addTo(map);
    stopMarkers = {};
    var depots = {};
    state.routes.forEach(function (r) {
      var c = colours[r.van_id];
      L.polyline(r.line, { color: c, weight: 3, opacity: 0.55, className: "vc-route" })
        .bindTooltip(r.van_id, { sticky: true }).addTo(layers);
      r.stops.forEach(function (st) {
        var m = L.circleMarker([st.lat, st.lon], {
          radius: 5, weight: 1.5, color: "#59636f", fillColor: "#fff", fillOpacity: 1,
          className: "vc-stop",
        }).bindTooltip(r.van_id + " · stop " + st.seq + " · " + st.id).addTo(layers);
        stopMarkers[st.id] = m;
      });
      r.chargers.forEach(function (ch) {
        L.circleMarker([ch.lat, ch.lon], { radius: 7, color: "#111", weight: 2, fillColor: "#ffd400",
          fillOpacity: 1 }).bindTooltip("charger " + ch.id).addTo(layers);
      });
      depots[r.depot.id] = r.depot;
    });
    Object.keys(depots).forEach(function (id) {
      var d = depots[id];
      L.marker([d.lat, d.lon], { icon: L.divIcon({ className: "vc-depot", html: "D", iconSize: null }),
        keyboard: false }).bindTooltip("depot " + id).addTo(layers);
    });
    if (!fitted && layers.getLayers().length) {
      map.fitBounds(layers.getBounds(), { padding: [30, 30] });
      fitted = true;
    }
  }

  function pinHtml(v, live) {
    var low = live.soc_pct != null && live.soc_pct < 20;
    return '<div class="vc-pin" style="--c:' + colours[v] + '"><div>' + esc(v) +
      '<small class="' + (low ? "vc-soc-low" : "") + '">' + pct(live.soc_pct) + "</small></div></div>";
  }

  function placeVan(v, live) {
    if (live.lat == null || live.lon == null) return;
    if (!colours[v]) colours[v] = "#5d6878";
    var m = vanMarkers[v];
    var icon = L.divIcon({ className: "vc-van", html: pinHtml(v, live), iconSize: [64, 44],
                          iconAnchor: [32, 44] });
    if (!m) {
      m = L.marker([live.lat, live.lon], { icon: icon, zIndexOffset: 1000, title: v }).addTo(map);
      m.on("click", function () { select(v); });
      vanMarkers[v] = m;
    } else {
      m.setLatLng([live.lat, live.lon]);
      m.setIcon(icon);
    }
    var node = m.getElement();
    node.dataset.van = v;
    node.dataset.lat = String(live.lat);
    node.dataset.lon = String(live.lon);
    node.dataset.soc = live.soc_pct == null ? "" : String(live.soc_pct);
  }

  function onVans(body) {
    Object.keys(body.vans).forEach(function (v) {
      var u = body.vans[v];
      state.live[v] = u;
      var series = state.series[v] || (state.series[v] = { soc_pct: [], speed_kmh: [] });
      merge(series.soc_pct, u.soc_series);
      merge(series.speed_kmh, u.speed_series);
      placeVan(v, u);
    });
    drawVans();
    drawChart();
  }

  /* The feed sends each changed van's last points; one per minute, the last one replaced. */
  function merge(series, tail) {
    (tail || []).forEach(function (p) {
      var last = series[series.length - 1];
      if (last && Math.floor(last[0] / 60) === Math.floor(p[0] / 60)) series[series.length - 1] = p;
      else if (!last || p[0] > last[0]) series.push(p);
    });
  }

  function onProgress(p) {
    state.now_s = p.now_s;
    state.progress = p.progress;
    state.alerts = p.alerts;
    state.statuses = p.statuses;
    Object.keys(p.statuses).forEach(function (v) {
      Object.keys(p.statuses[v]).forEach(function (sid) {
        var m = stopMarkers[sid];
        if (!m) return;
        var st = p.statuses[v][sid];
        var fill = { delivered: "#1f9d55", failed: "#d33a2c", arrived: "#7fb2ff" }[st] || "#fff";
        m.setStyle({ fillColor: fill, color: st === "planned" ? "#59636f" : "#fff" });
      });
    });
    drawAlerts();
    drawVans();
    drawChart();
  }

  function schedule(delay) {
    var m = Math.round(delay / 60);
    if (m > 15) return '<span class="vc-late">' + m + " min behind</span>";
    if (m > 2) return '<span class="vc-slight">' + m + " min behind</span>";
    if (m < -2) return '<span class="vc-early">' + -m + " min ahead</span>";
    return '<span class="vc-ontime">on time</span>';
  }

  function drawVans() {
    var rows = state.routes.map(function (r) {
      var v = r.van_id, p = state.progress[v] || {}, live = state.live[v] || {};
      var done = p.stops_total ? p.stops_done / p.stops_total : 0;
      var ret = p.predicted_return_soc == null ? null : p.predicted_return_soc * 100;
      var series = (state.series[v] || {}).soc_pct || [];
      return '<tr data-van="' + esc(v) + '" tabindex="0" class="' + (v === selected ? "vc-selected" : "") + '">' +
        '<td><span class="vc-van-id" style="--c:' + colours[v] + '"><i></i>' + esc(v) + "</span></td>" +
        '<td class="vc-stops">' + p.stops_done + "/" + p.stops_total +
        (p.failed ? ' <span class="vc-late">(' + p.failed + " failed)</span>" : "") +
        '<div class="vc-bar-outer"><div class="vc-bar-inner" style="width:' + (done * 100).toFixed(0) + '%"></div></div></td>' +
        (p.out_of_service_s != null
          ? '<td class="vc-delay"><span class="vc-late">out of service</span><div class="vc-small">since ' +
            VCChart.hhmm(p.out_of_service_s) + "</div></td>"
          : '<td class="vc-delay">' + schedule(p.delay_s || 0) +
            '<div class="vc-small">back ' + VCChart.hhmm(p.expected_return_s || 0) + "</div></td>") +
        '<td class="vc-soc">' + pct(live.soc_pct) + " → " +
        '<span class="' + (ret != null && ret < 10 ? "vc-soc-low" : "") + '">' +
        (ret != null && ret < 0 ? "empty" : pct(ret)) + "</span>" +
        '<div class="vc-small">' + (p.soc_source === "live" ? "from live SoC" : "plan (no telemetry)") + "</div></td>" +
        "<td>" + VCChart.spark(series, r.start_s - 1800, r.end_s + 1800, colours[v]) + "</td></tr>";
    });
    $("vc-vans").innerHTML = rows.join("");
  }

  function drawAlerts() {
    var list = state.alerts || [];
    var count = $("vc-alert-count");
    count.textContent = list.length;
    count.classList.toggle("vc-hot", list.some(function (a) { return a.severity === "critical"; }));
    $("vc-alerts").innerHTML = list.length ? list.map(function (a) {
      return '<li class="vc-' + a.severity + '" data-van="' + esc(a.van_id) + '" data-kind="' +
        esc(a.kind) + '"><b>' + esc(a.van_id) + '</b><span class="vc-kind">' +
        esc(a.kind.replace(/_/g, " ")) + "</span><span>" + esc(a.message) + "</span></li>";
    }).join("") : '<li class="vc-none">No alerts.</li>';
  }

  function drawChart() {
    var r = state.routes.filter(function (x) { return x.van_id === selected; })[0];
    if (!r) { $("vc-chart").textContent = ""; return; }
    var series = state.series[selected] || { soc_pct: [], speed_kmh: [] };
    var first = series.soc_pct.length ? series.soc_pct[0][0] : r.start_s;
    $("vc-chart-van").textContent = "· " + selected;
    VCChart.draw($("vc-chart"), {
      soc: series.soc_pct, speed: series.speed_kmh, planned: r.planned_soc,
      from_s: Math.floor((Math.min(r.start_s, first) - 1800) / 3600) * 3600,
      to_s: Math.ceil((Math.max(r.end_s, state.now_s) + 1800) / 3600) * 3600,
      now_s: state.now_s, colour: colours[selected], reserve_pct: state.reserve_pct,
    });
  }

  function select(v) {
    selected = v;
    drawVans();
    drawChart();
    var m = vanMarkers[v];
    if (m) map.panTo(m.getLatLng());
  }

  $("vc-vans").addEventListener("click", function (e) {
    var row = e.target.closest("tr[data-van]");
    if (row) select(row.dataset.van);
  });
  $("vc-vans").addEventListener("keydown", function (e) {
    var row = e.target.closest("tr[data-van]");
    if (row && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); select(row.dataset.van); }
  });
  $("vc-alerts").addEventListener("click", function (e) {
    var item = e.target.closest("li[data-van]");
    if (item) select(item.dataset.van);
  });
  window.addEventListener("resize", function () { if (state) drawChart(); });

  // -- re-planning (POST /v1/ops/days/{day}/replan; the new version then arrives as a snapshot)
  function hhmm(d) { return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0"); }
  $("vc-replan").addEventListener("click", function () {
    $("vc-replan-at").value = hhmm(new Date());
    $("vc-replan-van").textContent = selected || "—";
    $("vc-replan-oos").checked = false;
    $("vc-replan-oos").disabled = !selected;
    $("vc-replan-error").textContent = "";
    $("vc-replan-result").textContent = "";
    $("vc-replan-dialog").showModal();
  });
  $("vc-replan-cancel").addEventListener("click", function () { $("vc-replan-dialog").close(); });
  $("vc-replan-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var at = $("vc-replan-at").value;
    var events = [];
    if ($("vc-replan-oos").checked && selected) {
      events.push({ type: "van_out_of_service", van_id: selected, time: at });
    }
    $("vc-replan-go").disabled = true;
    $("vc-replan-error").textContent = "";
    $("vc-replan-result").textContent = "Re-planning…";
    fetch("/v1/ops/days/" + encodeURIComponent(day) + "/replan", {
      method: "POST",
      headers: { "Authorization": "Bearer " + secret(), "Content-Type": "application/json" },
      body: JSON.stringify({ base_version: state.plan_version, at: at, events: events })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (a) {
      if (!a.ok) {
        $("vc-replan-result").textContent = "";
        $("vc-replan-error").textContent = a.body.message || "The re-plan failed.";
        return;
      }
      var b = a.body;
      $("vc-replan-result").textContent = "Published version " + b.plan_version + ": " +
        b.moved_to_another_van + " stops moved to another van, " + b.changed_position +
        " changed position" + (b.unassigned.length ? ", " + b.unassigned.length + " no van can serve: " +
        b.unassigned.slice(0, 8).join(", ") : "") + ".";
    }).catch(function () {
      $("vc-replan-result").textContent = "";
      $("vc-replan-error").textContent = "The server could not be reached.";
    }).then(function () { $("vc-replan-go").disabled = false; });
  });

  setInterval(function () {
    if (!lastUpdate || $("vc-status").dataset.state !== "live") return;
    var ago = (Date.now() - lastUpdate) / 1000;
    status("live", ago < 20 ? "live" : "live · last update " + Math.round(ago) + " s ago");
  }, 1000);

  connect();
})();
