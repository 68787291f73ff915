"use strict";
// The Web Worker a cart runs in (package internal/worker): it starts
// cartworker.wasm, the cart's core, which the page speaks to with
// postMessage. Its files are beside this one, or at self.ebicartBase when
// a page starts it from elsewhere.
const base = self.ebicartBase || new URL('.', self.location.href).href;
// The site's build this script is of (make web writes it; none for a
// bundled game's or an example's page): the worker's files are asked for
// by it, so that a service worker answers with that build's, and the Go
// core says it in its handshake, where a page of another build (one open
// while the site was deployed again) finds out.
self.ebicartVersion = '';
const buildQuery = self.ebicartVersion ? '?build=' + encodeURIComponent(self.ebicartVersion) : '';
importScripts(base + 'wasm_exec.js' + buildQuery);
// The rewrites the site's build prepared for its own large carts
// (guest.PrepareRewrite), by the cart's path in the site: [the file, its
// SHA-256]. The worker takes one only with these bytes, the site's.
self.ebicartPrepared = {};
self.ebicartQueue = []; // messages that come while Go starts
self.onmessage = (e) => self.ebicartQueue.push(e);

// stallLimit is how long the cart's server may send nothing (no answer,
// or no more of the body) before the download is given up: the page then
// says so ({firstCart: null, stalled: seconds}), where it would have shown
// its loading screen for ever. A slow download that goes on is not
// stopped. main_js.go's stallLimit is the same.
// (Declared before fetchCart first runs, below.)
const stallLimit = 20000;

// fetchCart downloads the page's first cart while the worker starts. The
// page names it in the worker's name (firstCartPrefix + URL): a message
// the page posts as the worker starts may reach it before this script has
// set its handler, and be lost (seen in Chromium). Go's core gets a copy
// to prepare ({prepare: bytes}, through onmessage: the queue above while
// Go starts, Go's own after), with its rewrite the site prepared if that
// has come by then (fetchPrepared, waited for preparedWait at most), and
// the page gets the bytes, for its host: {firstCart, status, statusText}. A cart the server refuses or the
// browser does not let it read is not fetched again: the page gets why
// ({firstCart: null, status, statusText} or {firstCart: null, fetchError}),
// and its host says so. One larger than the host accepts (the page's
// max-cart-size=, which the name says before the URL) is refused as the
// host would ({firstCart: null, tooBig: {size, limit}}; a size of -1 is
// not known, the download stopped at the limit), and not fetched again.
const firstCartPrefix = 'ebicart first cart: '; // player.js names its worker so
if (self.name.startsWith(firstCartPrefix)) {
  const rest = self.name.slice(firstCartPrefix.length), space = rest.indexOf(' ');
  fetchCart(rest.slice(space + 1), Number(rest.slice(0, space)) || 64 << 20);
}

// readLimited reads r's body, or returns {tooBig: size} once it is past
// limit bytes, its download stopped there (size -1: not known): a body
// sent without a Content-Length (or compressed) is counted as it comes,
// not after it has all come.
async function readLimited(r, limit, alive) {
  const size = r.headers.get('Content-Length');
  if (size !== null && Number(size) > limit) {
    if (r.body) r.body.cancel().catch(() => {});
    return {tooBig: Number(size)};
  }
  if (!r.body) return new Uint8Array(await r.arrayBuffer());
  const reader = r.body.getReader(), chunks = [];
  let n = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    alive();
    n += value.length;
    if (n > limit) {
      reader.cancel().catch(() => {});
      return {tooBig: -1};
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

// fetchPrepared fetches the rewrite the site prepared for the cart at
// url, if it has one, and returns it if its SHA-256 is the one the site's
// build wrote here; else null, and the worker rewrites the cart itself.
// On a slow connection, or one that asks to save data, it fetches
// nothing: the rewrite costs the worker less than the download would.
async function fetchPrepared(url) {
  try {
    const conn = self.navigator && navigator.connection;
    if (conn && (conn.saveData || ['slow-2g', '2g', '3g'].includes(conn.effectiveType))) return null;
    const site = new URL(base), u = new URL(url, self.location.href);
    const path = u.pathname.slice(site.pathname.length);
    const p = u.origin === site.origin && u.pathname.startsWith(site.pathname) &&
      Object.hasOwn(self.ebicartPrepared, path) && self.ebicartPrepared[path];
    if (!p || !(self.crypto && crypto.subtle)) return null;
    const r = await fetch(base + p[0] + buildQuery);
    if (!r.ok) return null;
    const b = new Uint8Array(await r.arrayBuffer());
    const sum = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b)), (x) => x.toString(16).padStart(2, '0')).join('');
    return sum === p[1] ? b : null;
  } catch (e) {
    return null; // offline, or gone: the worker rewrites the cart
  }
}

// preparedWait bounds how long the worker waits for the prepared rewrite
// once it has the cart: a slow or stalled download of it costs at most
// this, not the cart.
const preparedWait = 2000;

async function fetchCart(url, limit) {
  const prepared = fetchPrepared(url);
  const stop = new AbortController();
  let timer = 0;
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stop.abort(), stallLimit);
  };
  let r, bytes = null;
  try {
    alive();
    r = await fetch(url, {signal: stop.signal});
    alive();
    if (!r.ok) {
      self.postMessage({firstCart: null, status: r.status, statusText: r.statusText});
      return;
    }
    bytes = await readLimited(r, limit, alive);
  } catch (e) {
    if (stop.signal.aborted) self.postMessage({firstCart: null, stalled: stallLimit / 1000});
    else self.postMessage({firstCart: null, fetchError: String(e && e.message || e)});
    return;
  } finally {
    clearTimeout(timer);
  }
  if (bytes.tooBig) {
    self.postMessage({firstCart: null, tooBig: {size: bytes.tooBig, limit}});
    return;
  }
  if (bytes.length === 0) {
    self.postMessage({firstCart: null}); // the page fetches it: its host's error
    return;
  }
  const copy = bytes.slice();
  self.postMessage({firstCart: bytes, status: r.status, statusText: r.statusText}, [bytes.buffer]);
  const rewrite = await Promise.race([prepared, new Promise((ok) => setTimeout(() => ok(null), preparedWait))]);
  try {
    // Go's core gets the cart after the page (a boot that names it before
    // the core has it gets the bytes sent: guest's msgSendCart).
    self.onmessage({data: {prepare: copy, prepared: rewrite}});
  } catch (e) {
    // Go's core could not take it (it has exited): the host's boot says why.
  }
}
(async () => {
  try {
    const go = new Go();
    const resp = await fetch(base + 'cartworker.wasm' + buildQuery);
    if (!resp.ok) throw new Error('cartworker.wasm: HTTP ' + resp.status);
    // Compiled while it downloads where the server says it is wasm; a
    // host that serves it as something else gets it compiled whole.
    const {instance} = (resp.headers.get('Content-Type') || '').startsWith('application/wasm')
      ? await WebAssembly.instantiateStreaming(resp, go.importObject)
      : await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    self.ebicartGoExports = instance.exports; // guest/engine/browser calls Go through them
    go.run(instance);
  } catch (e) {
    self.postMessage({fatal: 'the cart worker did not start: ' + String((e && e.message) || e)});
  }
})();
