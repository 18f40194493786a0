// A stop's status as the driver should see it: the server's, then what this device did since.
// The server's route names the event that set each status; events of this device after it (or,
// when it names none of them, the ones still waiting) are replayed on top. An undo returns the
// stop to the status it had before the event it takes back (kept with that event).

export function effectiveVisits(route, records) {
  if (!route) return [];
  const byStop = new Map();
  for (const r of records) {
    if (r.state === "refused" || r.state === "conflict") continue;
    if (!byStop.has(r.event.stop_id)) byStop.set(r.event.stop_id, []);
    byStop.get(r.event.stop_id).push(r);
  }
  const byId = new Map(records.map((r) => [r.event_id, r]));
  return route.visits.map((v) => {
    if (v.kind !== "stop") return v;
    const recs = byStop.get(v.location_id) || [];
    const known = recs.findIndex((r) => r.event_id === v.event_id);
    const replay = known >= 0 ? recs.slice(known + 1) : recs.filter((r) => r.state === "pending");
    let { status, reason } = v;
    let arrivedAt = v.arrived_at || null;
    for (const r of replay) {
      const e = r.event;
      if (e.kind === "undo") {
        status = byId.get(e.undoes)?.prev_status || "planned";
        reason = null;
      } else {
        status = e.kind;
        reason = e.reason || null;
        if (e.kind === "arrived") arrivedAt = e.at;
      }
    }
    return { ...v, status, reason, arrived_at: arrivedAt };
  });
}

export const isOpen = (v) => v.kind === "stop" && (v.status === "planned" || v.status === "arrived");
