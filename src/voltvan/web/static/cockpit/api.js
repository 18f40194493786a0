// The operations API as the cockpit uses it: the account kept on the device, and one fetch
// helper that tells "the server answered" (any status) from "no connection".

const ACCOUNT_KEY = "voltvan.cockpit.account";

export class Offline extends Error {}

export function account() {
  try {
    return JSON.parse(localStorage.getItem(ACCOUNT_KEY) || "null");
  } catch {
    return null;
  }
}

export function saveAccount(acc) {
  localStorage.setItem(ACCOUNT_KEY, JSON.stringify(acc));
}

export function forgetAccount() {
  localStorage.removeItem(ACCOUNT_KEY);
}

// fetch with the driver's secret; throws Offline when the network (not the server) fails.
export async function call(path, { method = "GET", body, type, token } = {}) {
  const headers = { Authorization: `Bearer ${token || account()?.token || ""}` };
  let payload = body;
  if (body !== undefined && !(body instanceof Blob)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  } else if (body instanceof Blob) {
    headers["Content-Type"] = type || body.type || "application/octet-stream";
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  } catch (err) {
    throw new Offline(String(err));
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { status: response.status, data, cached: response.headers.get("x-cockpit-cache") };
}

export async function signIn(secret) {
  const r = await call("/v1/ops/me", { token: secret });
  if (r.status === 401) throw new Error("That secret is not known. Check it with your dispatcher.");
  if (r.status !== 200) throw new Error(r.data?.message || `the server answered ${r.status}`);
  if (r.data.role !== "driver" || !r.data.van_id) {
    throw new Error("This is a dispatcher's account; the cockpit is for a van's driver.");
  }
  const acc = { token: secret, name: r.data.name, van: r.data.van_id };
  saveAccount(acc);
  return acc;
}

export const routePath = (day, van, known) =>
  `/v1/ops/days/${day}/vans/${encodeURIComponent(van)}/route` +
  (known ? `?known_version=${known}` : "");
export const rangePath = (day, van) =>
  `/v1/ops/days/${day}/vans/${encodeURIComponent(van)}/range`;
export const eventsPath = (day, van) =>
  `/v1/ops/days/${day}/vans/${encodeURIComponent(van)}/events`;
