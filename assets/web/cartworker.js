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
self.ebicartQueue = []; // messages that come while Go starts
self.onmessage = (e) => self.ebicartQueue.push(e);

// fetchCart downloads the page's first cart while the worker starts. The
// page names it in the worker's name (firstCartPrefix + URL): a message
// the page posts as the worker starts may reach it before this script has
// set its handler, and be lost (seen in Chromium). Go's core gets a copy
// to prepare ({prepare: bytes}, through onmessage: the queue above while
// Go starts, Go's own after), then the page gets the bytes, for its host:
// {firstCart, status, statusText}. A cart the server refuses or the
// browser does not let it read is not fetched again: the page gets why
// ({firstCart: null, status, statusText} or {firstCart: null, fetchError}),
// and its host says so. One larger than the host accepts by default
// (cart.DefaultMaxCartSize) is left to the page ({firstCart: null}),
// whose host may accept more (max-cart-size=).
const firstCartPrefix = 'ebicart first cart: '; // player.js names its worker so
if (self.name.startsWith(firstCartPrefix)) fetchCart(self.name.slice(firstCartPrefix.length));

// readLimited reads r's body, or returns null once it is past limit bytes,
// its download stopped there: a body sent without a Content-Length (or
// compressed) is counted as it comes, not after it has all come.
async function readLimited(r, limit) {
  const size = r.headers.get('Content-Length');
  if (size !== null && Number(size) > limit) {
    if (r.body) r.body.cancel().catch(() => {});
    return null;
  }
  if (!r.body) return new Uint8Array(await r.arrayBuffer());
  const reader = r.body.getReader(), chunks = [];
  let n = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    n += value.length;
    if (n > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

async function fetchCart(url) {
  const limit = 64 << 20;
  let r, bytes = null;
  try {
    r = await fetch(url);
    if (!r.ok) {
      self.postMessage({firstCart: null, status: r.status, statusText: r.statusText});
      return;
    }
    bytes = await readLimited(r, limit);
  } catch (e) {
    self.postMessage({firstCart: null, fetchError: String(e && e.message || e)});
    return;
  }
  if (bytes === null || bytes.length > limit || bytes.length === 0) {
    self.postMessage({firstCart: null}); // the page fetches it: its host's limit, its error
    return;
  }
  try {
    self.onmessage({data: {prepare: bytes.slice()}});
  } catch (e) {
    // Go's core could not take it (it has exited): the host's boot says why.
  }
  self.postMessage({firstCart: bytes, status: r.status, statusText: r.statusText}, [bytes.buffer]);
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
