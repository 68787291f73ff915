// A minimal ebicart cart in AssemblyScript: a 160x120 frame in static
// memory, a square moved by the arrow keys.
const W: i32 = 160;
const H: i32 = 120;

const pixels = memory.data(W * H * 4); // premultiplied RGBA: bytes R, G, B, A
const desc = memory.data(32); // format, width, height, stride, pixels, palette, 0, 0
const inputBlock = memory.data(32); // buttons, mouse x, mouse y, mouse buttons, frame, wheel x, wheel y, 0

let x: i32 = 76;
let y: i32 = 56;

function rgb(r: u32, g: u32, b: u32): u32 {
  return r | (g << 8) | (b << 16) | (0xff << 24);
}

function draw(): void {
  const bg = rgb(0x20, 0x30, 0x50);
  for (let i = 0; i < W * H; i++) store<u32>(pixels + (<usize>i << 2), bg);
  const c = load<u32>(inputBlock) & 16 ? rgb(0x40, 0xff, 0x80) : rgb(0xff, 0xd0, 0x40);
  for (let dy = 0; dy < 8; dy++) {
    for (let dx = 0; dx < 8; dx++) store<u32>(pixels + (<usize>((y + dy) * W + x + dx) << 2), c);
  }
}

export function framebuffer(): usize {
  return desc;
}

export function input(): usize {
  return inputBlock;
}

export function start(): void {
  store<u32>(desc, 1);
  store<u32>(desc, W, 4);
  store<u32>(desc, H, 8);
  store<u32>(desc, <u32>pixels, 16);
  draw();
}

export function update(): void {
  const b = load<u32>(inputBlock);
  if (b & 1 && x > 0) x--;
  if (b & 2 && x < W - 8) x++;
  if (b & 4 && y > 0) y--;
  if (b & 8 && y < H - 8) y++;
  draw();
}
