// The device's queue of events (IndexedDB): every tap is stored here first, with its photo and
// signature, under an event id made on the device. Syncing sends it; the server stores each id
// once, so sending again (a retry, or the whole queue) never doubles a delivery.

import { call, eventsPath, Offline } from "./api.js";

const DB = "voltvan-cockpit";
const STORE = "events";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const s = req.result.createObjectStore(STORE, { keyPath: "event_id" });
      s.createIndex("seq", "seq");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const out = fn(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); resolve(out?.result ?? out); };
    t.onerror = () => { db.close(); reject(t.error); };
  });
}

export const put = (rec) => tx("readwrite", (s) => s.put(rec));
export const remove = (id) => tx("readwrite", (s) => s.delete(id));
export const clear = () => tx("readwrite", (s) => s.clear());

export async function all() {
  const recs = await tx("readonly", (s) => s.getAll());
  return recs.sort((a, b) => a.seq - b.seq);
}

// A new record; state "pending" until the server has answered it.
export async function add(day, van, event, proofs = {}) {
  const rec = {
    event_id: event.event_id,
    seq: Date.now() + Math.random(),
    day,
    van,
    event,
    photo: proofs.photo || null,
    signature: proofs.signature || null,
    state: "pending",
    answer: null,
  };
  await put(rec);
  return rec;
}

async function upload(blob) {
  const r = await call("/v1/ops/proofs", { method: "POST", body: blob });
  if (r.status !== 201) throw new Refused(r.status, r.data);
  return r.data.proof;
}

export class Refused extends Error {
  constructor(status, data) {
    super(data?.message || `the server answered ${status}`);
    this.status = status;
  }
}

// Send one record: proofs first (the server answers once they are on disk), then the event
// naming them. The record is saved after each step, so a lost connection resumes there.
async function send(rec) {
  const ev = { ...rec.event };
  if (rec.photo && !ev.photo) {
    ev.photo = await upload(rec.photo);
    rec.event = ev;
    await put(rec);
  }
  if (rec.signature && !ev.signature) {
    ev.signature = await upload(rec.signature);
    rec.event = ev;
    await put(rec);
  }
  const r = await call(eventsPath(rec.day, rec.van), { method: "POST", body: ev });
  if (r.status === 200 || r.status === 409) {
    rec.state = r.status === 200 ? "sent" : "conflict";
    rec.answer = r.data;
    await put(rec);
    return rec;
  }
  throw new Refused(r.status, r.data);
}

// Send every pending record in order; stop at the first lost connection (retry later). A
// refusal that sending again cannot fix (422, 403) is kept with its message and skipped.
export async function sync({ everything = false } = {}) {
  const out = { sent: 0, conflicts: [], refused: [], offline: false, unauthorized: false };
  for (const rec of await all()) {
    if (rec.state !== "pending" && !everything) continue;
    try {
      const done = await send(rec);
      if (done.state === "conflict") out.conflicts.push(done);
      out.sent += 1;
    } catch (err) {
      if (err instanceof Offline || (err instanceof Refused && err.status >= 500)) {
        out.offline = true;
        break;
      }
      if (err instanceof Refused && err.status === 401) {
        out.unauthorized = true;
        break;
      }
      rec.state = "refused";
      rec.answer = { message: err.message };
      await put(rec);
      out.refused.push(rec);
    }
  }
  return out;
}

export async function pendingCount() {
  return (await all()).filter((r) => r.state === "pending").length;
}
