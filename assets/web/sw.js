"use strict";
// The page's service worker: it makes the page an app that plays offline
// once loaded. It keeps the page, the host, the cart's worker and the
// carts played in a cache named after the build (make web writes the
// version below, a hash of the host and its page), so that a new host
// replaces the cached one: a new build is a new worker, whose cache is
// filled before it takes over and then is the only one (with the carts
// the older one kept).
//
// Online, every file comes from the network (the server says whether it
// changed) and is kept; offline, from the cache. Requests to other
// origins pass through untouched.
const version = 'ebicart-dev';
const shell = ['./', 'wasm_exec.js', 'player.js', 'ebicart.wasm', 'cartworker.js', 'cartworker.wasm',
  'carts/demo.wasm', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png'];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(version).then((c) => c.addAll(shell)).then(() => self.skipWaiting()));
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
    .then((c) => c && Promise.all(urls.filter(sameOrigin).map((u) => c.add(u).catch(() => {}))))
    .then(() => e.source && e.source.postMessage({kept: version})));
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || !sameOrigin(req.url)) return;
  e.respondWith(fetchKeeping(e, req));
});

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
}

// fetchKeeping fetches req from the network and keeps a copy, or, when
// the network fails, answers from the cache: a page's address with any
// parameters is the page.
async function fetchKeeping(e, req) {
  try {
    const resp = await fetch(req);
    if (resp.ok && resp.type === 'basic' && !resp.headers.has('Content-Range')) {
      const copy = resp.clone();
      e.waitUntil(ownCache().then((c) => c && c.put(req, copy)));
    }
    return resp;
  } catch (err) {
    const navigate = req.mode === 'navigate';
    const hit = await caches.match(req, {ignoreSearch: navigate, cacheName: version}) ||
      (navigate && await caches.match('./', {cacheName: version}));
    if (hit) return hit;
    throw err;
  }
}
