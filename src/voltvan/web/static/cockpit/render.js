// Drawing the cockpit from its state: the next stop, the list, the range, the sync status, the map.

import { drawMap } from "./map.js";
import { effectiveVisits, isOpen } from "./status.js";
import * as views from "./views.js";

const $ = (id) => document.getElementById(id);

export function render(state, handlers) {
  const visits = effectiveVisits(state.route, state.records);
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
  renderSync(state);
  const el = $("map");
  drawMap(el, visits, seqOf, next?.location_id, state.range?.charger);
  if (next) {
    $("delivered").onclick = () => handlers.deliver(next);
    $("failed").onclick = () => handlers.fail(next);
    if ($("arrived")) $("arrived").onclick = () => handlers.arrive(next);
  }
}

export function renderSync(state) {
  const waiting = state.records.filter((r) => r.state === "pending").length;
  const pill = $("sync");
  const where = state.offline ? "Offline" : state.syncing ? "Syncing…" : "Online";
  pill.textContent = waiting ? `${where} · ${waiting} waiting` : `${where} · all sent`;
  pill.dataset.state = state.offline ? "offline" : waiting ? "waiting" : "ok";
}

export function say(html) {
  $("message").innerHTML = html;
  $("message").hidden = !html;
}
