package guest

// handshakeAdvice is what to do about a Web Worker that did not answer
// its handshake: its script or its wasm did not load, or is of another
// build of the site, deployed since the page was opened.
const handshakeAdvice = "the site's files may have changed since this page was opened: reload the page"
