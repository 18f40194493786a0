// The driver cockpit: sign in, the day's route (next stop first), delivered or failed, undo,
// offline queue and sync, plan changes and the range ahead. See docs/operations.md.

import { account, call, forgetAccount, Offline, rangePath, routePath, signIn } from "./api.js";
import * as queue from "./queue.js";
import { resizeMap } from "./map.js";
import { openDeliver, openFail, wireDialogs } from "./dialogs.js";
import * as views from "./views.js";
import { render as draw, renderSync as drawSync, say } from "./render.js";

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

// crypto.randomUUID exists only on https:// and localhost; the queue needs ids everywhere
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const shownKey = () => `voltvan.cockpit.shown.${state.day}.${state.acc?.van}`;
const shownVersion = () => Number(localStorage.getItem(shownKey())) || null;

// ---- drawing ------------------------------------------------------------------------------

const render = () =>
  draw(state, { deliver: openDeliver, fail: openFail, arrive: (stop) => act(stop, { kind: "arrived" }, {}) });
const renderSync = () => drawSync(state);

// ---- loading ------------------------------------------------------------------------------

// Returns false when the answer came from the device (no connection): the last copy.
async function loadRoute() {
  const known = shownVersion();
  let r;
  try {
    r = await call(routePath(state.day, state.acc.van, known));
  } catch (err) {
    if (err instanceof Offline) return false;
    throw err;
  }
  if (r.cached) {
    state.route = state.route || r.data;
    if (!state.range) await loadRange();
    return false;
  }
  if (r.status === 401) {
    await signOut("This device's secret is no longer valid: sign in again.");
    return true;
  }
  if (r.status === 404) {
    state.noRoute = `No plan is published for ${state.day} yet.`;
    return true;
  }
  if (r.status !== 200) {
    say(views.esc(r.data?.message || `The server answered ${r.status}.`));
    return true;
  }
  state.route = r.data;
  if (known == null) localStorage.setItem(shownKey(), String(r.data.plan_version));
  const ch = r.data.changes;
  if (ch && known != null && r.data.plan_version > known) {
    $("changes-text").innerHTML = views.changesText(ch, r.data.moved || [], known, r.data.plan_version);
    $("changes").hidden = false;
    $("changes").dataset.version = String(r.data.plan_version);
  }
  await loadRange();
  return true;
}

async function loadRange() {
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
    const reached = await loadRoute();
    state.offline = out.offline || !reached || !navigator.onLine;
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
    event_id: uuid(),
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
  const done = { arrived: "Arrived", delivered: "Delivered", failed: "Not delivered" }[fields.kind];
  showUndo(rec, `${done}: ${name}`);
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
  if (!fresh || fresh.state === "refused" || fresh.state === "conflict") {
    return; // the server did not take it: there is nothing to take back
  }
  if (fresh.state === "pending") {
    await queue.remove(rec.event_id); // never left the device: nothing to take back
  } else {
    const event = {
      event_id: uuid(),
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
  wireDialogs(act);
  window.addEventListener("online", () => { state.offline = false; refresh(); });
  window.addEventListener("offline", () => { state.offline = true; renderSync(); });
  window.addEventListener("resize", resizeMap);
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
    const click = { n: "navigate", a: "arrived", d: "delivered", f: "failed" }[e.key];
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
