//! A minimal ebicart cart in Rust: a 160x120 frame in a static array, a
//! square moved by the arrow keys. no_std: no allocator needed.
#![no_std]

const W: usize = 160;
const H: usize = 120;
const BUTTON_LEFT: u32 = 1;
const BUTTON_RIGHT: u32 = 2;
const BUTTON_UP: u32 = 4;
const BUTTON_DOWN: u32 = 8;
const BUTTON_A: u32 = 16;

#[repr(C)]
pub struct Descriptor { format: u32, width: u32, height: u32, stride: u32, pixels: u32, palette: u32, reserved: [u32; 2] }

#[repr(C)]
pub struct Input { buttons: u32, mouse_x: i32, mouse_y: i32, mouse_buttons: u32, frame: u32, wheel_x: i32, wheel_y: i32, reserved: u32 }

static mut PIXELS: [u32; W * H] = [0; W * H]; // premultiplied RGBA: R | G<<8 | B<<16 | A<<24
static mut DESC: Descriptor = Descriptor { format: 1, width: W as u32, height: H as u32, stride: 0, pixels: 0, palette: 0, reserved: [0; 2] };
static mut INPUT: Input = Input { buttons: 0, mouse_x: 0, mouse_y: 0, mouse_buttons: 0, frame: 0, wheel_x: 0, wheel_y: 0, reserved: 0 };
static mut X: usize = 76;
static mut Y: usize = 56;

fn rgb(r: u32, g: u32, b: u32) -> u32 { r | g << 8 | b << 16 | 0xff << 24 }

unsafe fn draw() {
    for p in PIXELS.iter_mut() { *p = rgb(0x20, 0x30, 0x50); }
    let c = if INPUT.buttons & BUTTON_A != 0 { rgb(0x40, 0xff, 0x80) } else { rgb(0xff, 0xd0, 0x40) };
    for dy in 0..8 { for dx in 0..8 { PIXELS[(Y + dy) * W + X + dx] = c; } }
}

#[no_mangle]
pub extern "C" fn framebuffer() -> *const Descriptor { unsafe { &DESC } }

#[no_mangle]
pub extern "C" fn input() -> *const Input { unsafe { &INPUT } }

#[no_mangle]
pub extern "C" fn start() {
    unsafe {
        DESC.pixels = PIXELS.as_ptr() as u32;
        draw();
    }
}

#[no_mangle]
pub extern "C" fn update() {
    unsafe {
        let b = INPUT.buttons;
        if b & BUTTON_LEFT != 0 && X > 0 { X -= 1; }
        if b & BUTTON_RIGHT != 0 && X < W - 8 { X += 1; }
        if b & BUTTON_UP != 0 && Y > 0 { Y -= 1; }
        if b & BUTTON_DOWN != 0 && Y < H - 8 { Y += 1; }
        draw();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { core::arch::wasm32::unreachable() }
