"use strict";
// The page's service worker: it makes the page an app that plays offline
// once loaded. It keeps the page, the host, the cart's worker and the
// carts played in a cache named after the build (make web writes the
// version below, a hash of the host and its page), so that a new host
// replaces the cached one: a new build is a new worker, whose cache is
// filled before it takes over and then is the only one (with the carts
// the older one kept).
//
// The page asks for the files of its build by name (?build=, the hash
// below): those of this worker's build come from its cache first, so that
// a page open when the site is deployed again still starts workers of its
// own build; those of another build pass through and are not kept. Other
// files come from the network (the server says whether they changed) and
// are kept; offline, from the cache. A page is kept only when it is of
// this build. Requests to other origins pass through untouched.
const version = 'ebicart-dev';
const build = version === 'ebicart-dev' ? '' : version.slice('ebicart-'.length);
const q = build ? '?build=' + build : '';
const shell = ['./', 'wasm_exec.js' + q, 'player.js' + q, 'ebicart.wasm' + q, 'cartworker.js' + q, 'cartworker.wasm' + q,
  'carts/demo.wasm', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png'];

// The shell is fetched past the browser's HTTP cache, which may still hold
// the last build's files (a host that sends max-age, as GitHub Pages does).
self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(version)
    .then((c) => c.addAll(shell.map((u) => new Request(u, {cache: 'reload'}))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(takeOver().then(() => self.clients.claim()).then(takeOver));
});

// takeOver keeps the carts (and replays, states) that older builds kept,
// so that a new host still plays them offline, and deletes the older
// builds' caches: their pages and hosts are replaced by this one's. It
// runs again once this worker controls the pages, in case a request the
// older worker was still answering kept a file after the first run.
async function takeOver() {
  const cache = await caches.open(version);
  const own = new Set(shell.map((f) => new URL(f, self.location.href).pathname));
  for (const k of await caches.keys()) {
    if (k === version || !k.startsWith('ebicart-')) continue;
    try {
      const old = await caches.open(k);
      for (const req of await old.keys()) {
        const path = new URL(req.url).pathname;
        if (own.has(path) || path.endsWith('/') || path.endsWith('.html') || path.endsWith('.js')) continue;
        const resp = await old.match(req);
        if (resp && !await cache.match(req)) await cache.put(req, resp);
      }
    } finally {
      await caches.delete(k);
    }
  }
}

// ownCache is this build's cache, or null once a newer build's worker
// has taken over (and deleted it): a replaced worker still answering a
// request must not make its cache again.
async function ownCache() {
  if (self.serviceWorker && self.serviceWorker.state === 'redundant') return null;
  return await caches.has(version) ? caches.open(version) : null;
}

// The page sends the files it loaded before this worker ran it (its cart,
// a replay): {keep: [url, ...]}; the answer, {kept: version}, says they
// are in the cache.
self.addEventListener('message', (e) => {
  const urls = (e.data && e.data.keep) || [];
  e.waitUntil(ownCache()
    .then((c) => c && Promise.all(urls.filter(sameOrigin).map((u) => keep(c, u).catch(() => {}))))
    .then(() => e.source && e.source.postMessage({kept: version})));
});

// keep fetches u past the HTTP cache and keeps it, a page only when it is
// of this build, a file only up to keepLimit.
async function keep(c, u) {
  const resp = await fetch(new Request(u, {cache: 'reload'}));
  if (!resp.ok) return;
  const r = (resp.headers.get('Content-Type') || '').startsWith('text/html') ? await ofThisBuild(resp) : await bounded(resp, keepLimit);
  if (r) await c.put(u, r);
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || !sameOrigin(req.url)) return;
  e.respondWith(fetchKeeping(e, req));
});

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
}

// fetchKeeping answers req: a file of this build from the cache, where
// it is there; else from the network, keeping a copy (not of another
// build's file, nor a page of another build); or, when the network fails,
// from the cache: the app's page with any parameters is the page.
async function fetchKeeping(e, req) {
  const u = new URL(req.url);
  const asked = u.searchParams.get('build');
  if (asked !== null && asked === build) {
    const hit = await caches.match(req, {cacheName: version});
    if (hit) return hit;
  }
  const navigate = req.mode === 'navigate';
  try {
    const resp = await fetch(req);
    if (resp.ok && resp.type === 'basic' && !resp.headers.has('Content-Range') && (asked === null || asked === build)) {
      const copy = resp.clone();
      e.waitUntil((navigate ? ofThisBuild(copy) : bounded(copy, keepLimit))
        .then((r) => r && ownCache().then((c) => c && c.put(req, r))));
    }
    return resp;
  } catch (err) {
    const hit = await caches.match(req, {ignoreSearch: navigate, cacheName: version}) ||
      (navigate && u.pathname === new URL(self.registration.scope).pathname && await caches.match('./', {cacheName: version}));
    if (hit) return hit;
    throw err;
  }
}

// keepLimit bounds what is kept for offline play: a file larger than a
// cart may be by default (max-cart-size, 64 MiB) is not kept, and is not
// downloaded further for it (the page stops its own download there; the
// copy would otherwise read on, an endless one until the storage is full).
const keepLimit = 64 << 20;

// stallLimit is the page's (cartworker.js, main_js.go): how long a server
// may send nothing before its download is given up.
const stallLimit = 20000;

// bounded is resp, its body read here, when the body has at most limit
// bytes, else null, its download stopped past them.
async function bounded(resp, limit) {
  if (!resp.body) return resp;
  const size = resp.headers.get('Content-Length');
  if (size !== null && Number(size) > limit) {
    resp.body.cancel().catch(() => {});
    return null;
  }
  const reader = resp.body.getReader(), chunks = [];
  let n = 0;
  for (;;) {
    // A server that sends nothing for stallLimit is given up here too:
    // the page stops its own read then, and this copy's would hold the
    // connection open as long as the worker lives.
    let timer = 0;
    const stalled = new Promise((ok) => { timer = setTimeout(() => ok(null), stallLimit); });
    const r = await Promise.race([reader.read(), stalled]);
    clearTimeout(timer);
    if (r === null) {
      reader.cancel().catch(() => {});
      return null;
    }
    const {done, value} = r;
    if (done) break;
    n += value.length;
    if (n > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return new Response(new Blob(chunks), {status: resp.status, statusText: resp.statusText, headers: resp.headers});
}

// ofThisBuild is a page's response when the page is of this build (it
// names it: index.html's window.ebicartVersion), else null: a page of a
// newer build kept here would ask offline for files this cache lacks.
async function ofThisBuild(resp) {
  const text = await resp.text();
  const m = /window\.ebicartVersion = '([^']*)'/.exec(text);
  if (m && m[1] !== build) return null;
  return new Response(text, {status: resp.status, statusText: resp.statusText, headers: resp.headers});
}
