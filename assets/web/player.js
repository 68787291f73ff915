"use strict";
// What every page that plays carts does as it starts: ebicart's own page
// (index.html) and a bundled game's (ebicart bundle). It loads after
// wasm_exec.js and offers window.ebicartPlayer.

// Ebitengine asks navigator.getGamepads() for the pads on every frame.
// Where the page may not use gamepads (a Permissions-Policy header with
// gamepad=(), an iframe with allow="gamepad 'none'") the call throws, and
// an exception thrown into the Go program ends it: the page died before
// its first frame. Where the call is missing (an http: page of another
// host than localhost), Ebitengine warns on the console 60 times a
// second. In both cases the page has no gamepads, and says so once.
(() => {
  let why = '';
  if (typeof navigator.getGamepads !== 'function') {
    why = 'the browser offers gamepads to https: pages only';
  } else {
    try { navigator.getGamepads(); } catch (e) { why = `the page may not use them (${e.message})`; }
  }
  if (!why) return;
  Object.defineProperty(navigator, 'getGamepads', {value: () => [], configurable: true});
  console.info(`ebicart: no gamepads: ${why}`);
})();
// buildQuery names the site's build (window.ebicartVersion, which make
// web writes into the page) in the address of one of its files, so that
// the page, its host and its workers are of one build: a service worker
// answers with that build's files, and the host and a worker of two
// builds know it at their handshake.
function buildQuery() {
  const v = window.ebicartVersion;
  return v ? '?build=' + encodeURIComponent(v) : '';
}

// stallLimit is how long a server may take to answer the page's own fetch
// of its first cart (where its worker could not fetch it) before the page
// gives up: main_js.go's and cartworker.js's stallLimit. The host reads
// the body, giving up a body that stalls itself.
const stallLimit = 20000;

// stallingFetch fetches url, given up once the server has not answered
// for stallLimit: the host then says so ({ebicartStalled}, main_js.go's
// fetchBytes), where its loading screen would have waited for ever.
function stallingFetch(url) {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), stallLimit);
  return fetch(url, {signal: stop.signal}).finally(() => clearTimeout(timer)).catch((e) => {
    throw stop.signal.aborted ? Object.assign(new Error(`the server sent nothing for ${stallLimit / 1000} s`), {ebicartStalled: true}) : e;
  });
}

window.ebicartPlayer = {
  // cartSizeLimit reads a max-cart-size= value as the host does (flags.go's
  // byteSize), in bytes: 0 for one it does not read, which the host
  // refuses with the reason.
  cartSizeLimit(text) {
    const units = [['GiB', 1 << 30], ['MiB', 1 << 20], ['KiB', 1 << 10], ['GB', 1 << 30], ['MB', 1 << 20], ['KB', 1 << 10],
      ['G', 1 << 30], ['M', 1 << 20], ['K', 1 << 10], ['B', 1]];
    let num = String(text).trim(), mult = 1;
    for (const [suffix, m] of units) {
      if (num.endsWith(suffix)) { num = num.slice(0, -suffix.length).trim(); mult = m; break; }
    }
    if (!/^[0-9]+$/.test(num)) return 0;
    const n = Number(num) * mult;
    return n >= 64 << 10 && n <= 4 * 2 ** 30 ? n : 0;
  },

  // quietExit makes a Go program's end final: once it has exited, the page
  // calls into it no more, and what it held goes with it. wasm_exec.js
  // leaves the timers of its goroutines armed (a goroutine that slept, or
  // waited with a limit, when main returned: golang/go#72797) and the
  // program's callbacks (Ebitengine's input and resize listeners, a
  // worker's messages, a promise's) in place, and each of them would throw
  // "Go program has already exited" on the page; the cart workers it
  // started (window.ebicartWorkers, internal/worker's) and the one the
  // page started for it would run on, a cart's loop with them. Every page
  // that runs a Go program of ebicart's calls it on its Go before run.
  quietExit(go) {
    const exit = go.exit;
    go.exit = (code) => {
      if (go._scheduledTimeouts instanceof Map) {
        for (const t of go._scheduledTimeouts.values()) clearTimeout(t);
        go._scheduledTimeouts.clear();
      }
      go._resume = () => {}; // what every callback calls
      for (const w of [...(window.ebicartWorkers || []), window.ebicartSpareWorker]) {
        if (w) w.terminate();
      }
      if (window.ebicartWorkers) window.ebicartWorkers.clear();
      delete window.ebicartSpareWorker;
      exit.call(go, code);
    };
  },
  // stopMessage is what a page says when its host has ended (start's
  // exited): who ("ebicart", "the game") stopped, and why, from what
  // exited was given; no WebGL is said as such, as a reload does not
  // mend it.
  stopMessage(who, {reason, noWebGL}) {
    return noWebGL ? `no WebGL here (see the browser's settings): ${who} needs it to draw`
      : reason ? `${who} stopped: ${reason}: reload the page`
      : `${who} stopped (the browser console says why): reload the page`;
  },

  // sound routes every AudioContext the page makes (Ebitengine's, which
  // the browser starts on the player's first key or tap: autoplay rules)
  // through a gain that button mutes, remembered across visits
  // (localStorage 'ebicart-muted'). after runs after each press: the page
  // gives the game its keys back.
  sound(button, after) {
    // Where the browser blocks the site's storage (its settings, a
    // sandboxed frame), reading it throws: the choice then lasts the visit.
    const stored = (() => { try { return localStorage.getItem('ebicart-muted'); } catch (e) { return null; } })();
    const audio = {muted: stored === '1', gains: []};
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
      try { localStorage.setItem('ebicart-muted', audio.muted ? '1' : '0'); } catch (e) { /* kept for the visit */ }
      for (const g of audio.gains) g.gain.value = audio.muted ? 0 : 1;
      show();
      after();
    });
    show();
  },

  // fit gives Ebitengine's canvas, which fills the body, the w x h frame's
  // own device pixels, and shows it scaled up by the largest whole factor
  // that fits the page below its strip of controls (the root's --strip),
  // centred there, its pixels kept square (a CSS transform, pixelated): the
  // compositor scales it, and the GL, often drawing in software, fills the
  // frame's pixels on every frame and not the screen's. The host calls it
  // (ebicartPage.fit) while a cart plays with nothing beside its frame,
  // and with 0, 0 when something is (touch controls, an error screen):
  // then, on a screen too small for the frame, and once the page was
  // touched (the touch controls go beside the frame), the body and the
  // canvas get the whole page back.
  fit(w, h) {
    const st = this.fitted || (this.fitted = {w: 0, h: 0, touched: false, saved: null});
    if (!st.listening) {
      st.listening = true;
      window.addEventListener('resize', () => this.fit(st.w, st.h));
      window.addEventListener('touchstart', () => {
        if (!st.touched) { st.touched = true; this.fit(st.w, st.h); }
      }, {capture: true, passive: true});
      // A click on the bare page beside a fitted canvas gives the game
      // the keyboard, as a click on the canvas does.
      window.addEventListener('mousedown', (e) => {
        const c = document.querySelector('canvas');
        if (c && (e.target === document.body || e.target === document.documentElement)) {
          e.preventDefault();
          c.focus();
        }
      });
    }
    st.w = w; st.h = h;
    const canvas = document.querySelector('canvas');
    const styles = [[document.body.style, ['width', 'height', 'margin-left', 'margin-top', 'overflow']],
      [canvas ? canvas.style : null, ['transform', 'transform-origin', 'image-rendering']]];
    const strip = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--strip')) || 0;
    const dpr = window.devicePixelRatio || 1, aw = window.innerWidth, ah = window.innerHeight - strip;
    // Whole CSS pixels, rounded up: the canvas gets at least the frame's
    // device pixels (Ebitengine makes it clientWidth x devicePixelRatio).
    const bw = Math.ceil(w / dpr), bh = Math.ceil(h / dpr);
    const s = w > 0 && h > 0 && canvas && !st.touched ? Math.floor(Math.min(aw / bw, ah / bh)) : 0;
    if (s < 1) {
      if (st.saved) {
        for (const [style, saved] of st.saved) for (const [p, v, prio] of saved) style.setProperty(p, v, prio);
        st.saved = null;
      }
      return;
    }
    if (!st.saved) st.saved = styles.map(([style, props]) => [style, props.map((p) => [p, style.getPropertyValue(p), style.getPropertyPriority(p)])]);
    const body = document.body.style;
    body.setProperty('width', bw + 'px', 'important');
    body.setProperty('height', bh + 'px', 'important');
    body.setProperty('margin-left', Math.floor((aw - bw * s) / 2) + 'px', 'important');
    body.setProperty('margin-top', strip + Math.floor((ah - bh * s) / 2) + 'px', 'important');
    body.setProperty('overflow', 'visible', 'important'); // the scaled canvas overflows the body
    canvas.style.setProperty('transform', 'scale(' + s + ')');
    canvas.style.setProperty('transform-origin', '0 0');
    canvas.style.setProperty('image-rendering', 'pixelated');
  },

  // start runs the host, ebicart.wasm. The cart's Web Worker starts and
  // the first cart (the URL cart) downloads at once, while the host
  // downloads and compiles: neither waits for it, and the host takes them
  // over (internal/worker's Prewarm, main_js.go's fetchBytes). The host is
  // compiled while it downloads where the server says it is wasm; a server
  // that says otherwise (itch.io may) gets it compiled whole. Its bytes go
  // from the network to the compiler without passing through JavaScript:
  // counting them for a progress bar (through a TransformStream, or from a
  // clone of the response) cost the page's thread about 0.1 s on the way
  // to the first frame. waiting(seconds) runs once a second from the
  // second second on while the host downloads and compiles, so that a slow
  // start shows it is alive; compiled() runs just before the host does.
  // The promise is rejected with what stopped the start.
  // maxCartSize is the most the first cart may be, in bytes (the page's
  // max-cart-size=, read by cartSizeLimit; 0: the default), which the
  // worker honours as the host would: a cart over it is refused as it
  // starts to download, with the host's words, and not fetched again.
  async start({cart, maxCartSize, waiting, compiled, exited}) {
    let cartURL = null;
    try { cartURL = new URL(cart, location.href).href; } catch (e) { /* the host says so, on its error screen */ }
    let response = null;
    try {
      if (!cartURL) throw new Error('the cart is not a URL');
      // cartworker.js fetches it: its name says the limit and the URL (a
      // URL's href has no space).
      const w = new Worker('cartworker.js' + buildQuery(), {name: 'ebicart first cart: ' + (maxCartSize || 64 << 20) + ' ' + cartURL});
      w.ebicartEarly = [];
      // The worker downloads the first cart itself (cartworker.js), off
      // this thread, which is busy starting the host: it reads, rewrites
      // and compiles the cart as soon as its own start allows, so that
      // the host's boot of it finds that done (guest.Prepare). It then
      // sends the bytes here ({firstCart}), for the host, after it has
      // them: the host's boot follows. Where the server refused the cart
      // or the browser did not let the worker read it, the host is told
      // so as its own fetch would have (an HTTP status, a failed fetch),
      // without a second request. Otherwise (firstCart null: too large
      // for the worker's limit; the worker failed to load, or the host
      // stopped it, WebWorker.Kill), the page fetches the cart itself.
      // A server that sends nothing for a while (cartworker.js's
      // stallLimit) is given up: the host says so ({stalled}), where
      // its loading screen would have waited for ever.
      response = new Promise((resolve, reject) => {
        w.ebicartFirstCart = (d) => {
          // Once: the host's WebWorker.Kill says null again when it
          // ends the worker, which must not fetch the cart a second time.
          w.ebicartFirstCart = () => {};
          try {
            if (d.firstCart) {
              // The host takes the bytes themselves (main_js.go's
              // fetchBytes), not a body it would read back, which cost
              // this thread 50 ms for the 1.9 MB demo; and their SHA-256,
              // which the browser makes off this thread while the host
              // loads (crypto.subtle, a secure context's), so that the
              // host need not hash them on the way to the first frame.
              const r = new Response(d.firstCart, {status: d.status, statusText: d.statusText}); // and as a body, for any other reader
              r.ebicartBytes = d.firstCart;
              r.ebicartSum = (self.crypto && crypto.subtle) ? crypto.subtle.digest('SHA-256', d.firstCart).catch(() => null) : null;
              // The worker holds these bytes: the host's boot names them
              // by their digest rather than send them back
              // (internal/worker's WebWorker.Holds).
              w.ebicartHeldSum = r.ebicartSum;
              resolve(r);
            }
            else if (d.status >= 200 && d.status <= 599) resolve(new Response(null, {status: d.status, statusText: d.statusText}));
            else if (d.fetchError) reject(new TypeError(d.fetchError));
            else if (d.stalled) reject(Object.assign(new Error(`the server sent nothing for ${d.stalled} s`), {ebicartStalled: true}));
            // Over the limit: the host says so, in its words (fetchBytes).
            else if (d.tooBig) reject(Object.assign(new Error('over the limit'), {ebicartTooBig: d.tooBig.size, ebicartLimit: d.tooBig.limit}));
            else resolve(stallingFetch(cart));
          } catch (e) {
            resolve(stallingFetch(cart)); // a status or text a Response cannot have: the page asks itself
          }
        };
      });
      response.catch(() => {}); // the host awaits it, maybe after it fails: not an unhandled rejection
      w.addEventListener('error', (e) => {
        w.ebicartFailed = (e && e.message) || ''; // for the host, which takes the worker after (internal/worker's adopt)
        w.ebicartFirstCart({firstCart: null});
      });
      w.onmessage = (e) => {
        if (e.data && typeof e.data === 'object' && 'firstCart' in e.data) w.ebicartFirstCart(e.data);
        else w.ebicartEarly.push(e);
      };
      window.ebicartSpareWorker = w;
    } catch (e) {
      console.log('ebicart: the cart worker will start with the host: ' + e.message);
    }
    if (!response && cartURL) {
      response = stallingFetch(cart);
      response.catch(() => {}); // the host awaits it, maybe after it fails
    }
    if (response) window.ebicartPrefetch = {url: cartURL, response};

    const since = () => Math.floor(performance.now() / 1000);
    const timer = waiting ? setInterval(() => { if (since() >= 2) waiting(since()); }, 1000) : 0;
    const go = new Go();
    ebicartPlayer.quietExit(go);
    let instance;
    try {
      const resp = await fetch('ebicart.wasm' + buildQuery());
      if (!resp.ok) throw new Error('ebicart.wasm: HTTP ' + resp.status);
      const streaming = (resp.headers.get('Content-Type') || '').startsWith('application/wasm') && !!WebAssembly.instantiateStreaming;
      document.documentElement.dataset.compile = streaming ? 'streaming' : 'whole';
      ({instance} = streaming
        ? await WebAssembly.instantiateStreaming(resp, go.importObject)
        : await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject));
    } finally {
      clearInterval(timer);
    }
    compiled();
    window.ebicartGoExports = instance.exports; // the host's queue to its cart worker copies through them
    // The host runs until the page goes: if it ends, the game is gone and
    // the page must say so (exited), not leave its last frame up.
    // exited gets why: the host's last error (ebicartStopReason), if it
    // gave one, and whether it is that the page has no WebGL to draw
    // with (turned off, or graphics the browser blocks), which a reload
    // does not mend.
    go.run(instance).then(() => {
      console.error('ebicart: the host stopped');
      const reason = String(window.ebicartStopReason || '');
      if (exited) exited({reason, noWebGL: /getContext|webgl/i.test(reason)});
    });
  },
};
