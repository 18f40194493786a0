// The route on a map without tiles (none can be fetched offline): the line, the depot, the stops
// numbered, the next one larger. Leaflet is the report's vendored copy (global ``L``).

const BOLT = '<svg aria-hidden="true" viewBox="0 0 24 24" width="14" height="14"><path fill="currentColor" d="M13 2 4 14h6l-1 8 9-12h-6z"/></svg>';
let map = null;
let layer = null;
let fitted = "";
let size = "";

export function drawMap(el, visits, seqOf, nextId, charger = null) {
  if (typeof L === "undefined") return;
  if (!map) {
    map = L.map(el, { zoomControl: true, attributionControl: false, zoomSnap: 0.25 });
    L.control.scale({ imperial: false }).addTo(map);
  }
  if (layer) layer.remove();
  layer = L.layerGroup().addTo(map);
  const line = visits.map((v) => [v.lat, v.lon]);
  if (!line.length) return;
  L.polyline(line, { className: "route-line", weight: 5 }).addTo(layer);
  for (const v of visits) {
    const seq = seqOf.get(v.location_id);
    const html =
      v.kind === "stop" ? String(seq) : v.kind === "charge" ? BOLT : "D";
    const state = v.kind !== "stop" ? v.kind : v.location_id === nextId ? "next" : v.status;
    const icon = L.divIcon({
      className: `pin pin-${state}`,
      html: `<span>${html}</span>`,
      iconSize: state === "next" ? [40, 40] : [28, 28],
    });
    const title = v.kind === "stop" ? `${seq}. ${v.stop?.name || v.location_id}` : v.location_id;
    L.marker([v.lat, v.lon], { icon, title, keyboard: false }).addTo(layer);
  }
  if (charger) {
    const icon = L.divIcon({ className: "pin pin-charge pin-suggested", html: `<span>${BOLT}</span>`, iconSize: [34, 34] });
    L.marker([charger.lat, charger.lon], { icon, title: `charger ${charger.location_id}`, keyboard: false }).addTo(layer);
    line.push([charger.lat, charger.lon]);
  }
  map.invalidateSize();
  const key = line.map((p) => p.join(",")).join(";");
  const now = `${el.clientWidth}x${el.clientHeight}`;
  if (key !== fitted || now !== size) {
    map.fitBounds(L.latLngBounds(line), { paddingTopLeft: [64, 40], paddingBottomRight: [40, 40], animate: false });
    fitted = key;
    size = now;
  }
}

export function resizeMap() {
  if (map) map.invalidateSize();
  size = "";
}
