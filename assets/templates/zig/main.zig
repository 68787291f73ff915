// A minimal ebicart cart in Zig: a 160x120 frame in a global array, a
// square moved by the arrow keys.
const W = 160;
const H = 120;

const Descriptor = extern struct { format: u32, width: u32, height: u32, stride: u32, pixels: u32, palette: u32, reserved: [2]u32 };
const Input = extern struct { buttons: u32, mouse_x: i32, mouse_y: i32, mouse_buttons: u32, frame: u32, wheel_x: i32, wheel_y: i32, reserved: u32 };

var pixels: [W * H]u32 = undefined; // premultiplied RGBA: R | G<<8 | B<<16 | A<<24
var desc: Descriptor = .{ .format = 1, .width = W, .height = H, .stride = 0, .pixels = 0, .palette = 0, .reserved = .{ 0, 0 } };
var input_block: Input = .{ .buttons = 0, .mouse_x = 0, .mouse_y = 0, .mouse_buttons = 0, .frame = 0, .wheel_x = 0, .wheel_y = 0, .reserved = 0 };
var x: usize = 76;
var y: usize = 56;

fn rgb(r: u32, g: u32, b: u32) u32 {
    return r | g << 8 | b << 16 | 0xff << 24;
}

fn draw() void {
    for (&pixels) |*p| p.* = rgb(0x20, 0x30, 0x50);
    const c = if (input_block.buttons & 16 != 0) rgb(0x40, 0xff, 0x80) else rgb(0xff, 0xd0, 0x40);
    var dy: usize = 0;
    while (dy < 8) : (dy += 1) {
        var dx: usize = 0;
        while (dx < 8) : (dx += 1) pixels[(y + dy) * W + x + dx] = c;
    }
}

export fn framebuffer() u32 {
    return @intCast(@intFromPtr(&desc));
}

export fn input() u32 {
    return @intCast(@intFromPtr(&input_block));
}

export fn start() void {
    desc.pixels = @intCast(@intFromPtr(&pixels));
    draw();
}

export fn update() void {
    const b = input_block.buttons;
    if (b & 1 != 0 and x > 0) x -= 1;
    if (b & 2 != 0 and x < W - 8) x += 1;
    if (b & 4 != 0 and y > 0) y -= 1;
    if (b & 8 != 0 and y < H - 8) y += 1;
    draw();
}
