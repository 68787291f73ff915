"use strict";
// What every page that plays carts does as it starts: ebicart's own page
// (index.html) and a bundled game's (ebicart bundle). It loads after
// wasm_exec.js and offers window.ebicartPlayer.
window.ebicartPlayer = {
  // sound routes every AudioContext the page makes (Ebitengine's, which
  // the browser starts on the player's first key or tap: autoplay rules)
  // through a gain that button mutes, remembered across visits
  // (localStorage 'ebicart-muted'). after runs after each press: the page
  // gives the game its keys back.
  sound(button, after) {
    const audio = {muted: localStorage.getItem('ebicart-muted') === '1', gains: []};
    window.ebicartAudio = audio;
    const BaseAudioContext = window.AudioContext || window.webkitAudioContext;
    if (BaseAudioContext) {
      window.AudioContext = class extends BaseAudioContext {
        constructor(...args) {
          super(...args);
          const gain = this.createGain();
          gain.gain.value = audio.muted ? 0 : 1;
          gain.connect(super.destination);
          Object.defineProperty(this, 'destination', {value: gain});
          audio.gains.push(gain);
        }
      };
    }
    const show = () => {
      button.textContent = audio.muted ? 'Sound off' : 'Sound on';
      button.setAttribute('aria-pressed', String(audio.muted));
    };
    button.addEventListener('click', () => {
      audio.muted = !audio.muted;
      localStorage.setItem('ebicart-muted', audio.muted ? '1' : '0');
      for (const g of audio.gains) g.gain.value = audio.muted ? 0 : 1;
      show();
      after();
    });
    show();
  },

  // start runs the host, ebicart.wasm. The cart's Web Worker starts and
  // the first cart (the URL cart) downloads at once, while the host
  // downloads and compiles: neither waits for it, and the host takes them
  // over (internal/worker's Prewarm, main_js.go's fetchBytes). The host is
  // compiled while it downloads where the server says it is wasm; a server
  // that says otherwise (itch.io may) gets it compiled whole.
  // progress(got, total) follows the download: total is hostSize, else the
  // response's length when it is not compressed, else 0 (unknown).
  // compiled() runs just before the host does. The promise is rejected
  // with what stopped the start.
  async start({cart, hostSize, progress, compiled}) {
    try {
      const w = new Worker('cartworker.js');
      w.ebicartEarly = [];
      w.onmessage = (e) => w.ebicartEarly.push(e);
      window.ebicartSpareWorker = w;
    } catch (e) {
      console.log('ebicart: the cart worker will start with the host: ' + e.message);
    }
    window.ebicartPrefetch = {url: new URL(cart, location.href).href, response: fetch(cart)};

    const resp = await fetch('ebicart.wasm');
    if (!resp.ok) throw new Error('ebicart.wasm: HTTP ' + resp.status);
    const type = resp.headers.get('Content-Type') || '';
    const total = hostSize || (resp.headers.get('Content-Encoding') ? 0 : Number(resp.headers.get('Content-Length'))) || 0;
    let got = 0;
    const counted = !resp.body ? resp : new Response(resp.body.pipeThrough(new TransformStream({
      transform(chunk, out) {
        got += chunk.length;
        progress(got, total);
        out.enqueue(chunk);
      },
    })), {headers: {'Content-Type': type}});
    const go = new Go();
    const streaming = type.startsWith('application/wasm') && !!WebAssembly.instantiateStreaming;
    document.documentElement.dataset.compile = streaming ? 'streaming' : 'whole';
    const {instance} = streaming
      ? await WebAssembly.instantiateStreaming(counted, go.importObject)
      : await WebAssembly.instantiate(await counted.arrayBuffer(), go.importObject);
    compiled();
    go.run(instance).then(() => console.log('ebicart: host exited'));
  },
};
