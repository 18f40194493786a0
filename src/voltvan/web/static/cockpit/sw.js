// The cockpit's service worker: the app and the map script from the cache (refreshed behind the
// scenes), the van's route and range from the network when there is one, else the last copy.
// Actions do not pass through here: the page queues them in IndexedDB and syncs them itself.

const SHELL = "cockpit-shell-1";
const DATA = "cockpit-data";
const FILES = [
  "./",
  "app.js",
  "api.js",
  "queue.js",
  "views.js",
  "status.js",
  "render.js",
  "dialogs.js",
  "proof.js",
  "map.js",
  "cockpit.css",
  "manifest.webmanifest",
  "icon.svg",
  "vendor/leaflet.js",
  "vendor/leaflet.css",
];
const DAY_DATA = /^\/v1\/ops\/days\/[^/]+\/vans\/[^/]+\/(route|range)$/;

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(SHELL).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== DATA).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (e) => {
  const req = e.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (DAY_DATA.test(url.pathname)) e.respondWith(networkFirst(req, url));
  else if (url.pathname.startsWith(new URL("./", self.registration.scope).pathname)) {
    e.respondWith(shellFirst(e, req));
  }
});

// The last good answer, kept under the path alone (?known_version only asks what changed).
async function networkFirst(req, url) {
  const key = url.origin + url.pathname;
  const cache = await caches.open(DATA);
  try {
    const fresh = await fetch(req);
    if (fresh.ok) await cache.put(key, fresh.clone());
    return fresh;
  } catch (err) {
    const old = await cache.match(key);
    if (!old) throw err;
    const headers = new Headers(old.headers);
    headers.set("x-cockpit-cache", "offline");
    return new Response(await old.blob(), { status: old.status, headers });
  }
}

async function shellFirst(e, req) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(req, { ignoreSearch: true });
  const update = fetch(req)
    .then((res) => {
      if (res.ok) cache.put(req.mode === "navigate" ? "./" : req, res.clone());
      return res;
    })
    .catch(() => null);
  if (hit) {
    e.waitUntil(update);
    return hit;
  }
  return (await update) || new Response("offline", { status: 503 });
}
