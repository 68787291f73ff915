"use strict";
// The Web Worker a cart runs in (package internal/worker): it starts
// cartworker.wasm, the cart's core, which the page speaks to with
// postMessage. Its files are beside this one, or at self.ebicartBase when
// a page starts it from elsewhere.
const base = self.ebicartBase || new URL('.', self.location.href).href;
importScripts(base + 'wasm_exec.js');
self.ebicartQueue = []; // messages that come while Go starts
self.onmessage = (e) => self.ebicartQueue.push(e);
(async () => {
  try {
    const go = new Go();
    const resp = await fetch(base + 'cartworker.wasm');
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
