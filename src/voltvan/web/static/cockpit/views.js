// What the driver reads: the next stop, the list, the range and what changed. Everything from
// the server goes through esc() before it becomes markup.

export const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function hhmm(s) {
  if (s == null) return "—";
  const m = Math.round(s / 60);
  return `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

// Icons as inline SVG: emoji fonts are missing on many in-van screens.
export const ICON = {
  nav: '<svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"><path fill="currentColor" d="M12 2 4.5 20.3l.7.7L12 18l6.8 3 .7-.7z"/></svg>',
  battery: '<svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M7 4h3V2h4v2h3a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm1 10v6h8v-6z"/></svg>',
  bolt: '<svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16"><path fill="currentColor" d="M13 2 4 14h6l-1 8 9-12h-6z"/></svg>',
};

// a prediction below empty is shown as 0 %: the warning says how much is missing
const pct = (f) => (f == null ? "—" : `${Math.max(0, Math.round(f * 100))}%`);
export const REASONS = {
  not_at_home: "Not at home",
  no_access: "No access",
  refused: "Refused",
  damaged: "Damaged",
  wrong_address: "Wrong address",
  other: "Other",
};
const STATUS = { planned: "to do", arrived: "arrived", delivered: "delivered", failed: "failed" };

export function windows(stop) {
  const tw = stop?.time_windows || [];
  return tw.length ? tw.map(([a, b]) => `${hhmm(a)}–${hhmm(b)}`).join(", ") : "any time";
}

function load(stop) {
  const parts = [];
  if (stop.parcels != null) parts.push(`${stop.parcels} parcel${stop.parcels === 1 ? "" : "s"}`);
  parts.push(`${(stop.weight_kg ?? 0).toFixed(1)} kg`);
  parts.push(`${Math.round((stop.volume_m3 ?? 0) * 1000)} L`);
  return parts.join(" · ");
}

// Hand-off to navigation: geo: opens the phone's default app; the others by name.
export function navLinks(lat, lon, label) {
  const q = `${lat},${lon}`;
  const name = encodeURIComponent(label || "");
  return [
    ["Navigate", `geo:${q}?q=${q}(${name})`],
    ["Google Maps", `https://www.google.com/maps/dir/?api=1&destination=${q}&travelmode=driving`],
    ["Apple Maps", `https://maps.apple.com/?daddr=${q}&dirflg=d`],
    ["Waze", `https://waze.com/ul?ll=${q}&navigate=yes`],
    ["OpenStreetMap", `https://www.openstreetmap.org/directions?to=${q}`],
  ];
}

function navHtml(lat, lon, label) {
  const [first, ...others] = navLinks(lat, lon, label);
  const rest = others
    .map(([n, u]) => `<a href="${esc(u)}" target="_blank" rel="noopener">${esc(n)}</a>`)
    .join("");
  return `<a class="big nav" id="navigate" href="${esc(first[1])}" aria-keyshortcuts="n">${ICON.nav} ${first[0]}</a>
    <details class="nav-more"><summary>Open in…</summary><div>${rest}</div></details>`;
}

export function nextCard(next, seq, total, predicted) {
  if (!next) {
    return `<h2 id="next-title">All stops done</h2>
      <p class="muted">Drive back to the depot. Thank you!</p>`;
  }
  const s = next.stop || {};
  const label = s.name || next.location_id;
  return `
    <p class="eyebrow">Next stop · ${seq} of ${total} · arrive ${hhmm(next.arrival_s)}</p>
    <h2 id="next-title">${esc(label)}</h2>
    <p class="address">${esc(s.address || `${next.lat.toFixed(5)}, ${next.lon.toFixed(5)}`)}</p>
    <dl class="facts">
      <div><dt>Window</dt><dd>${esc(windows(s))}</dd></div>
      <div><dt>Load</dt><dd>${esc(load(s))}</dd></div>
      <div><dt>Battery on arrival</dt><dd>${pct(predicted)}</dd></div>
      <div><dt>Stop</dt><dd>${esc(next.location_id)}${next.status === "failed" ? " · failed before" : ""}</dd></div>
    </dl>
    ${s.note ? `<p class="note">${esc(s.note)}</p>` : ""}
    ${navHtml(next.lat, next.lon, label)}
    <div class="do">
      ${next.status === "arrived"
        ? `<p class="muted" id="arrived-note">Arrived${next.arrived_at ? ` ${esc(clock(next.arrived_at))}` : ""}: the dispatcher sees you are here.</p>`
        : `<button id="arrived" type="button" class="big" aria-keyshortcuts="a"><span aria-hidden="true">⚑</span> Arrived</button>`}
      <button id="delivered" type="button" class="big ok" aria-keyshortcuts="d"><span aria-hidden="true">✓</span> Delivered</button>
      <button id="failed" type="button" class="big danger" aria-keyshortcuts="f"><span aria-hidden="true">✕</span> Not delivered</button>
    </div>`;
}

// An ISO time as the van's clock shows it (hh:mm).
function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

export function stopItem(v, seq, predicted, isNext, low = false) {
  const s = v.stop || {};
  const status = v.status || "planned";
  const why = status === "failed" && v.reason ? ` · ${REASONS[v.reason] || v.reason}` : "";
  return `<li class="stop s-${status}${isNext ? " is-next" : ""}" data-stop="${esc(v.location_id)}">
    <span class="seq" aria-hidden="true">${seq}</span>
    <div class="what">
      <strong>${esc(s.name || v.location_id)}</strong>
      <span class="muted">${esc(s.address || "")}</span>
      <span class="muted">${hhmm(v.arrival_s)} · ${esc(windows(s))}${s.parcels != null ? ` · ${s.parcels} parcels` : ""}</span>
    </div>
    <span class="state"><span class="visually-hidden">status: </span>${esc(STATUS[status] || status)}${esc(why)}</span>
    <span class="soc${low ? " low" : ""}" title="predicted battery on arrival${low ? ", below the reserve" : ""}">${predicted == null ? "" : pct(predicted)}</span>
  </li>`;
}

export function changesText(changes, moved, from, to) {
  const parts = [`<strong>Your route changed</strong> (plan ${from} → ${to}).`];
  if (changes.added.length) parts.push(`New stops: ${changes.added.map(esc).join(", ")}.`);
  if (changes.removed.length) {
    const where = Object.fromEntries(moved.map((m) => [m.stop_id, m.to_van]));
    const list = changes.removed.map((s) => (where[s] ? `${esc(s)} (to ${esc(where[s])})` : esc(s)));
    parts.push(`Removed: ${list.join(", ")}.`);
  }
  if (changes.reordered) parts.push("The order of your stops changed.");
  if (parts.length === 1) parts.push("Times were updated; your stops are the same.");
  return parts.join(" ");
}

export function rangeWarning(range) {
  if (!range?.warning) return "";
  const c = range.charger;
  let where = "No public charger is named in today's plan: call your dispatcher.";
  if (c) {
    const km = (c.detour_m / 1000).toFixed(1);
    const mins = c.charge_s != null ? `, about ${Math.ceil(c.charge_s / 60)} min of charging` : "";
    const [, url] = navLinks(c.lat, c.lon, c.location_id)[0];
    where = `${c.planned ? "Your planned charge stop" : "Nearest public charger"}: <strong>${esc(c.location_id)}</strong>
      (detour ≈ ${km} km${mins}). <a class="big nav" href="${esc(url)}">${ICON.nav} Navigate to charger</a>`;
  }
  const text = range.warning.charAt(0).toUpperCase() + range.warning.slice(1);
  return `<p><strong>⚠ Not enough charge.</strong> ${esc(text)}.</p><p>${where}</p>`;
}

export function batteryPill(range) {
  if (!range || range.return_soc == null) return `${ICON.battery} —`;
  const live = range.live ? `now ${pct(range.live.soc)} · ` : "";
  return `${ICON.battery} ${live}back ${pct(range.return_soc)}`;
}
