// The driver cockpit: sign in, the day's route (next stop first), delivered or failed, undo,
// offline queue and sync, plan changes and the range ahead. See docs/operations.md.

import { account, call, forgetAccount, Offline, rangePath, routePath, signIn } from "./api.js";
import * as queue from "./queue.js";
import { drawMap, resizeMap } from "./map.js";
import { SignaturePad, shrinkPhoto } from "./proof.js";
import * as views from "./views.js";

const UNDO_MS = 60_000;
const REFRESH_MS = 20_000;
const $ = (id) => document.getElementById(id);

const params = new URLSearchParams(location.search);
const state = {
  acc: null,
  day: params.get("day") || localDay(),
  route: null,
  range: null,
  records: [],
  lastAction: null,
  syncing: false,
  offline: !navigator.onLine,
};

function localDay() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

const shownKey = () => `voltvan.cockpit.shown.${state.day}.${state.acc?.van}`;
const shownVersion = () => Number(localStorage.getItem(shownKey())) || null;

// ---- statuses: the server's, then what this device did since ------------------------------

function effectiveVisits() {
  if (!state.route) return [];
  const byStop = new Map();
  for (const r of state.records) {
    if (r.state === "refused" || r.state === "conflict") continue;
    if (!byStop.has(r.event.stop_id)) byStop.set(r.event.stop_id, []);
    byStop.get(r.event.stop_id).push(r);
  }
  const byId = new Map(state.records.map((r) => [r.event_id, r]));
  return state.route.visits.map((v) => {
    if (v.kind !== "stop") return v;
    const recs = byStop.get(v.location_id) || [];
    const known = recs.findIndex((r) => r.event_id === v.event_id);
    const replay = known >= 0 ? recs.slice(known + 1) : recs.filter((r) => r.state === "pending");
    let { status, reason } = v;
    for (const r of replay) {
      const e = r.event;
      if (e.kind === "undo") {
        status = byId.get(e.undoes)?.prev_status || "planned";
        reason = null;
      } else {
        status = e.kind;
        reason = e.reason || null;
      }
    }
    return { ...v, status, reason };
  });
}

const isOpen = (v) => v.kind === "stop" && (v.status === "planned" || v.status === "arrived");

// ---- drawing ------------------------------------------------------------------------------

function render() {
  const visits = effectiveVisits();
  const stops = visits.filter((v) => v.kind === "stop");
  const next = stops.find(isOpen) || null;
  const ahead = state.range?.ahead || [];
  const predicted = new Map(ahead.map((a) => [a.location_id, a.soc]));
  const low = new Set(ahead.filter((a) => a.below_reserve).map((a) => a.location_id));
  const seqOf = new Map(stops.map((v, i) => [v.location_id, i + 1]));
  $("van").textContent = `Van ${state.acc.van}`;
  $("day").textContent = `${state.day}${state.route ? ` · plan ${state.route.plan_version}` : ""}`;
  $("account").textContent = `Signed in as ${state.acc.name}`;
  $("next").innerHTML = state.route
    ? views.nextCard(next, seqOf.get(next?.location_id), stops.length, predicted.get(next?.location_id))
    : `<h2 id="next-title">No route yet</h2><p class="muted">${views.esc(state.noRoute || "Loading…")}</p>`;
  // open stops first (in route order), then the ones done
  const items = [...stops.filter(isOpen), ...stops.filter((v) => !isOpen(v))].map((v) =>
    views.stopItem(
      v, seqOf.get(v.location_id), isOpen(v) ? predicted.get(v.location_id) : null, v === next,
      isOpen(v) && low.has(v.location_id),
    ),
  );
  const home = (state.range?.ahead || []).find((a) => a.kind === "end");
  if (home) {
    items.push(`<li class="stop s-depot"><span class="seq" aria-hidden="true">D</span>
      <div class="what"><strong>Back at the depot</strong><span class="muted">${views.hhmm(home.arrival_s)}</span></div>
      <span class="state"></span><span class="soc${home.below_reserve ? " low" : ""}">${Math.max(0, Math.round(home.soc * 100))}%</span></li>`);
  }
  $("stops").innerHTML = items.join("");
  $("battery").innerHTML = views.batteryPill(state.range);
  $("battery").classList.toggle("danger", Boolean(state.range?.warning));
  const warn = views.rangeWarning(state.range);
  $("range-warning").innerHTML = warn;
  $("range-warning").hidden = !warn;
  renderSync();
  const el = $("map");
  drawMap(el, visits, seqOf, next?.location_id, state.range?.charger);
  bindCard(next);
}

function renderSync() {
  const waiting = state.records.filter((r) => r.state === "pending").length;
  const pill = $("sync");
  const where = state.offline ? "Offline" : state.syncing ? "Syncing…" : "Online";
  pill.textContent = waiting ? `${where} · ${waiting} waiting` : `${where} · all sent`;
  pill.dataset.state = state.offline ? "offline" : waiting ? "waiting" : "ok";
}

function say(html) {
  $("message").innerHTML = html;
  $("message").hidden = !html;
}

function bindCard(next) {
  if (!next) return;
  $("delivered").onclick = () => openDeliver(next);
  $("failed").onclick = () => openFail(next);
}

// ---- loading ------------------------------------------------------------------------------

async function loadRoute() {
  const known = shownVersion();
  let r;
  try {
    r = await call(routePath(state.day, state.acc.van, known));
  } catch (err) {
    if (err instanceof Offline) return;
    throw err;
  }
  if (r.status === 401) return signOut("This device's secret is no longer valid: sign in again.");
  if (r.status === 404) {
    state.noRoute = `No plan is published for ${state.day} yet.`;
    return;
  }
  if (r.status !== 200) return say(views.esc(r.data?.message || `The server answered ${r.status}.`));
  state.route = r.data;
  if (known == null) localStorage.setItem(shownKey(), String(r.data.plan_version));
  const ch = r.data.changes;
  if (ch && known != null && r.data.plan_version > known) {
    $("changes-text").innerHTML = views.changesText(ch, r.data.moved || [], known, r.data.plan_version);
    $("changes").hidden = false;
    $("changes").dataset.version = String(r.data.plan_version);
  }
  try {
    const g = await call(rangePath(state.day, state.acc.van));
    if (g.status === 200) state.range = g.data;
  } catch (err) {
    if (!(err instanceof Offline)) throw err;
  }
}

async function refresh() {
  if (!state.acc || state.syncing) return;
  state.syncing = true;
  renderSync();
  try {
    const out = await queue.sync();
    state.offline = out.offline;
    if (out.unauthorized) return signOut("This device's secret is no longer valid: sign in again.");
    const notes = [...out.conflicts, ...out.refused].map(
      (r) => `Stop ${views.esc(r.event.stop_id)}: ${views.esc(r.answer?.message || "refused")}`,
    );
    if (notes.length) say(notes.join("<br>"));
    await loadRoute();
    if (!out.offline) state.offline = !navigator.onLine;
  } finally {
    state.syncing = false;
    state.records = await queue.all();
    if (state.acc) render();
  }
}

// ---- acting at a stop ---------------------------------------------------------------------

function position() {
  if (!navigator.geolocation) return Promise.resolve(null);
  return new Promise((ok) => {
    navigator.geolocation.getCurrentPosition(
      (p) => ok({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: Math.min(p.coords.accuracy, 100000) }),
      () => ok(null),
      { timeout: 2000, maximumAge: 60_000 },
    );
  });
}

async function act(stop, fields, proofs) {
  const event = {
    event_id: crypto.randomUUID(),
    stop_id: stop.location_id,
    at: new Date().toISOString(),
    plan_version: state.route.plan_version,
    position: await position(),
    ...fields,
  };
  const rec = await queue.add(state.day, state.acc.van, event, proofs);
  rec.prev_status = stop.status || "planned";
  await queue.put(rec);
  state.records = await queue.all();
  const name = stop.stop?.name || stop.location_id;
  showUndo(rec, fields.kind === "delivered" ? `Delivered: ${name}` : `Not delivered: ${name}`);
  render();
  $("next").focus();
  refresh();
}

function showUndo(rec, text) {
  state.lastAction = rec;
  const toast = $("toast");
  const tick = () => {
    const left = UNDO_MS - (Date.now() - Date.parse(rec.event.at));
    if (state.lastAction !== rec || left <= 0) {
      if (state.lastAction === rec) state.lastAction = null;
      toast.hidden = true;
      clearInterval(timer);
      return;
    }
    $("toast-text").textContent = `${text} · undo ${Math.ceil(left / 1000)} s`;
  };
  toast.hidden = false;
  const timer = setInterval(tick, 1000);
  tick();
}

async function undo() {
  const rec = state.lastAction;
  if (!rec || Date.now() - Date.parse(rec.event.at) > UNDO_MS) return;
  state.lastAction = null;
  $("toast").hidden = true;
  const fresh = (await queue.all()).find((r) => r.event_id === rec.event_id);
  if (fresh && fresh.state === "pending") {
    await queue.remove(rec.event_id); // never left the device: nothing to take back
  } else {
    const event = {
      event_id: crypto.randomUUID(),
      stop_id: rec.event.stop_id,
      kind: "undo",
      undoes: rec.event_id,
      at: new Date().toISOString(),
      plan_version: state.route.plan_version,
    };
    await queue.add(state.day, state.acc.van, event);
  }
  state.records = await queue.all();
  say(`Undone: stop ${views.esc(rec.event.stop_id)} is open again.`);
  render();
  refresh();
}

let pad = null;
let photo = null;

function openDeliver(stop) {
  const dlg = $("deliver");
  photo = null;
  $("photo").value = "";
  $("photo-preview").hidden = true;
  pad.clear();
  $("deliver-stop").textContent = `${stop.stop?.name || stop.location_id} · ${stop.location_id}`;
  dlg.returnValue = "";
  dlg.onclose = async () => {
    if (dlg.returnValue !== "ok") return;
    const signature = await pad.blob();
    await act(stop, { kind: "delivered" }, { photo, signature });
  };
  dlg.showModal();
}

function canDeliver() {
  $("deliver-ok").disabled = !(photo || pad?.drawn);
}

function openFail(stop) {
  const dlg = $("fail");
  $("fail-form").reset();
  $("fail-stop").textContent = `${stop.stop?.name || stop.location_id} · ${stop.location_id}`;
  dlg.returnValue = "";
  dlg.onclose = async () => {
    if (dlg.returnValue !== "ok") return;
    const reason = $("fail-form").elements.reason.value;
    const note = $("fail-note").value.trim();
    await act(stop, { kind: "failed", reason, note }, {});
  };
  dlg.showModal();
}

// ---- start --------------------------------------------------------------------------------

async function signOut(why = "") {
  const waiting = (await queue.all()).filter((r) => r.state === "pending").length;
  if (!why && waiting && !confirm(`${waiting} event(s) are not sent yet. Sign out anyway?`)) return;
  forgetAccount();
  await queue.clear();
  if (window.caches) await caches.delete("cockpit-data");
  state.acc = null;
  state.route = null;
  state.range = null;
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = why;
  $("secret").focus();
}

async function start(acc) {
  state.acc = acc;
  // events of other days that the server has answered are of no more use on the device
  for (const r of await queue.all()) {
    if (r.day !== state.day && r.state !== "pending") await queue.remove(r.event_id);
  }
  $("login").hidden = true;
  $("app").hidden = false;
  state.records = await queue.all();
  render();
  await refresh();
  resizeMap();
}

function theme(next) {
  const order = ["auto", "day", "night"];
  const now = localStorage.getItem("voltvan.cockpit.theme") || "auto";
  const t = next ? order[(order.indexOf(now) + 1) % order.length] : now;
  localStorage.setItem("voltvan.cockpit.theme", t);
  document.documentElement.dataset.theme = t;
  $("theme").setAttribute("aria-label", `Colours: ${t}. Switch day / night colours`);
  $("theme").textContent = { auto: "◐", day: "☀", night: "☾" }[t];
}

function wire() {
  theme(false);
  $("theme").onclick = () => theme(true);
  $("login-form").onsubmit = async (e) => {
    e.preventDefault();
    $("login-error").textContent = "";
    try {
      await start(await signIn($("secret").value.trim()));
      $("secret").value = "";
    } catch (err) {
      $("login-error").textContent =
        err instanceof Offline ? "No connection: signing in needs the server once." : err.message;
    }
  };
  $("logout").onclick = () => signOut();
  $("resend").onclick = async () => {
    const out = await queue.sync({ everything: true });
    say(out.offline ? "No connection: sent what could be sent." : `Sent ${out.sent} event(s) again.`);
    refresh();
  };
  $("undo").onclick = undo;
  $("changes-ok").onclick = () => {
    localStorage.setItem(shownKey(), $("changes").dataset.version);
    $("changes").hidden = true;
    render();
  };
  pad = new SignaturePad($("signature"), canDeliver);
  $("signature-clear").onclick = () => pad.clear();
  $("photo").onchange = async () => {
    const file = $("photo").files[0];
    photo = file ? await shrinkPhoto(file) : null;
    const img = $("photo-preview");
    if (photo) img.src = URL.createObjectURL(photo);
    img.hidden = !photo;
    canDeliver();
  };
  $("fail-note").oninput = $("fail-form").onchange = () => {
    const other = $("fail-form").elements.reason.value === "other";
    $("fail-note").required = other;
  };
  window.addEventListener("online", () => { state.offline = false; refresh(); });
  window.addEventListener("offline", () => { state.offline = true; renderSync(); });
  window.addEventListener("resize", resizeMap);
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
    const click = { n: "navigate", d: "delivered", f: "failed" }[e.key];
    if (click && $(click)) { e.preventDefault(); $(click).click(); }
    if (e.key === "u") undo();
  });
  setInterval(refresh, REFRESH_MS);
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch(() => {});
  navigator.serviceWorker.addEventListener("controllerchange", () => refresh());
}
wire();
window.cockpit = { state, refresh, queue };
const acc = account();
if (acc) start(acc);
else {
  $("login").hidden = false;
  $("secret").focus();
}
