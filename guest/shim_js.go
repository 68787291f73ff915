//go:build js

package guest

// shimSource is the JavaScript half of the browser host: the import object
// a cart is instantiated with. Every WASI preview 1 function is here, in
// JavaScript, because a cart may call some of them (clock_time_get,
// fd_write) often, and a call that crossed into Go and back for each would
// cost more than the work. It evaluates to a factory:
//
//	makeHost(log, extra) -> {imports, bind(instance), flush()}
//
// log(line) receives each log line (ebicart.log, stdout and stderr).
// extra holds the Go side's imports: extra.ebicart (disk_read,
// disk_write), and in WASM-4 mode extra.env (the memory and the WASM-4
// functions); extra.memory is the memory when the host provides it.
// proc_exit throws {ebicartExit: code}, which the Go side turns into an
// ExitError. Nothing here reaches outside the cart: there are no files, no
// environment, no arguments; what would need them returns a WASI error code.
const shimSource = `
const ESUCCESS = 0, EBADF = 8, EINVAL = 28, ENOSYS = 52, ENOTSUP = 58, ESPIPE = 70;
return function makeHost(log, extra) {
  // Go functions cannot throw: they return an Error to trap the cart.
  const wrap = (o) => {
    const w = {};
    for (const k in o) {
      const f = o[k];
      w[k] = typeof f !== 'function' ? f : (...a) => {
        const r = f(...a);
        if (r instanceof Error) throw r;
        return r;
      };
    }
    return w;
  };
  let memory = null;
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  const decoder = new TextDecoder('utf-8');
  const pending = {1: [], 2: []};
  const MAX_LINE = 4096;

  function emit(fd, chunk) {
    let buf = pending[fd];
    for (const b of chunk) {
      if (b === 10 || buf.length >= MAX_LINE) {
        log(decoder.decode(new Uint8Array(buf)));
        buf.length = 0;
        if (b === 10) continue;
      }
      buf.push(b);
    }
  }
  function exit(code) { throw {ebicartExit: code >>> 0}; }
  // As wazero's WASI: an absolute or escaping path is EPERM, any other
  // path EBADF, there being no preopened directory.
  function pathErr(ptr, len) {
    const b = bytes();
    if (ptr + len > b.length) return 21; // EFAULT
    const p = decoder.decode(b.subarray(ptr, ptr + len));
    if (p.startsWith('/') || p.split('/').includes('..')) return 63;
    return EBADF;
  }
  function stdio(fd) { return fd === 0 || fd === 1 || fd === 2; }
  function badfd(fd) { return stdio(fd) ? ENOTSUP : EBADF; }

  const wasi = {
    args_get: () => ESUCCESS,
    args_sizes_get: (argc, size) => { const v = view(); v.setUint32(argc, 0, true); v.setUint32(size, 0, true); return ESUCCESS; },
    environ_get: () => ESUCCESS,
    environ_sizes_get: (count, size) => { const v = view(); v.setUint32(count, 0, true); v.setUint32(size, 0, true); return ESUCCESS; },
    clock_res_get: (id, out) => {
      if (id > 3) return EINVAL;
      view().setBigUint64(out, 1000n, true);
      return ESUCCESS;
    },
    clock_time_get: (id, precision, out) => {
      let ns;
      if (id === 0) ns = BigInt(Date.now()) * 1000000n;
      else if (id === 1) ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
      else return EINVAL;
      view().setBigUint64(out, ns, true);
      return ESUCCESS;
    },
    fd_advise: (fd) => badfd(fd),
    fd_allocate: (fd) => badfd(fd),
    fd_close: (fd) => stdio(fd) ? ESUCCESS : EBADF,
    fd_datasync: (fd) => badfd(fd),
    fd_fdstat_get: (fd, out) => {
      if (!stdio(fd)) return EBADF;
      const v = view();
      v.setUint8(out, 2); // character device
      v.setUint16(out + 2, fd === 0 ? 0 : 1, true); // append for stdout and stderr
      v.setBigUint64(out + 8, fd === 0 ? 2n : 64n, true); // fd_read or fd_write
      v.setBigUint64(out + 16, 0n, true);
      return ESUCCESS;
    },
    fd_fdstat_set_flags: (fd) => badfd(fd),
    fd_fdstat_set_rights: (fd) => badfd(fd),
    fd_filestat_get: (fd) => badfd(fd),
    fd_filestat_set_size: (fd) => badfd(fd),
    fd_filestat_set_times: (fd) => badfd(fd),
    fd_pread: (fd) => stdio(fd) ? ESPIPE : EBADF,
    fd_prestat_dir_name: () => EBADF,
    fd_prestat_get: () => EBADF,
    fd_pwrite: (fd) => stdio(fd) ? ESPIPE : EBADF,
    fd_read: (fd, iovs, n, nread) => {
      if (fd !== 0) return EBADF;
      view().setUint32(nread, 0, true); // stdin is empty
      return ESUCCESS;
    },
    fd_readdir: (fd) => badfd(fd),
    fd_renumber: () => EBADF,
    fd_seek: (fd) => stdio(fd) ? ESPIPE : EBADF,
    fd_sync: (fd) => badfd(fd),
    fd_tell: (fd) => stdio(fd) ? ESPIPE : EBADF,
    fd_write: (fd, iovs, n, nwritten) => {
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view(), b = bytes();
      let total = 0;
      for (let i = 0; i < n; i++) {
        const ptr = v.getUint32(iovs + 8 * i, true), len = v.getUint32(iovs + 8 * i + 4, true);
        if (ptr + len > b.length) return EINVAL;
        emit(fd, b.subarray(ptr, ptr + len));
        total += len;
      }
      v.setUint32(nwritten, total, true);
      return ESUCCESS;
    },
    path_create_directory: (fd, a, b, c) => pathErr(a, b),
    path_filestat_get: (fd, a, b, c) => pathErr(b, c),
    path_filestat_set_times: (fd, a, b, c) => pathErr(b, c),
    path_link: (fd, a, b, c) => pathErr(b, c),
    path_open: (fd, a, b, c) => pathErr(b, c),
    path_readlink: (fd, a, b, c) => pathErr(a, b),
    path_remove_directory: (fd, a, b, c) => pathErr(a, b),
    path_rename: (fd, a, b, c) => pathErr(a, b),
    path_symlink: (oldPath, oldLen) => pathErr(oldPath, oldLen),
    path_unlink_file: (fd, a, b, c) => pathErr(a, b),
    poll_oneoff: (inp, out, nsubs, nevents) => {
      // The page cannot sleep: every clock subscription fires at once,
      // and stdio is always ready.
      const v = view();
      for (let i = 0; i < nsubs; i++) {
        const s = inp + 48 * i, e = out + 32 * i;
        v.setBigUint64(e, v.getBigUint64(s, true), true);
        const tag = v.getUint8(s + 8);
        v.setUint16(e + 8, tag === 0 || stdio(v.getUint32(s + 16, true)) ? ESUCCESS : EBADF, true);
        v.setUint8(e + 10, tag);
        v.setBigUint64(e + 16, 0n, true);
        v.setUint16(e + 24, 0, true);
      }
      v.setUint32(nevents, nsubs, true);
      return ESUCCESS;
    },
    proc_exit: (code) => exit(code),
    proc_raise: () => ENOSYS,
    random_get: (ptr, len) => {
      const b = bytes();
      for (let off = 0; off < len; off += 65536) {
        crypto.getRandomValues(b.subarray(ptr + off, ptr + Math.min(len, off + 65536)));
      }
      return ESUCCESS;
    },
    sched_yield: () => ESUCCESS,
    sock_accept: (fd) => badfd(fd),
    sock_recv: (fd) => badfd(fd),
    sock_send: (fd) => badfd(fd),
    sock_shutdown: (fd) => badfd(fd),
  };

  const ebicart = {
    ...(extra && extra.ebicart ? wrap(extra.ebicart) : {}),
    log: (ptr, len) => {
      const b = bytes();
      if (ptr + len > b.length) throw new RangeError('ebicart.log: message 0x' + ptr.toString(16) + '+' + len + ' bytes end past memory size ' + b.length);
      log(decoder.decode(b.slice(ptr, ptr + len)));
    },
  };

  const imports = {wasi_snapshot_preview1: wasi, ebicart: ebicart};
  if (extra && extra.env) imports.env = wrap(extra.env);
  return {
    imports,
    bind(instance) { memory = (extra && extra.memory) || instance.exports.memory; },
    flush() { for (const fd of [1, 2]) if (pending[fd].length) emit(fd, [10]); },
  };
};
`
