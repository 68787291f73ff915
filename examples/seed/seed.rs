//! seed: the classic two-pixel image as an ebicart cart.
//!
//! A Vec of Color{r, g, b} structs lives in the cart's linear memory; the
//! cart describes it as a 2x1 RGB888 frame and the host reads the bytes in
//! place, every frame, with no copying on the cart's side and no per-pixel
//! calls.
//!
//! Build with Debian's rustc and libstd-rust-dev-wasm32 (no cargo needed):
//!
//!     rustc --target wasm32-unknown-unknown --crate-type cdylib -C opt-level=s -C lto \
//!         -C panic=abort -C strip=debuginfo --remap-path-prefix=$PWD=. -o ../../assets/carts/seed.wasm seed.rs

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Color {
    r: u8,
    g: u8,
    b: u8,
}

/// The frame descriptor of ABI v1: eight little-endian u32 fields.
#[repr(C)]
pub struct Descriptor {
    format: u32,
    width: u32,
    height: u32,
    stride: u32,
    pixels: u32,
    palette: u32,
    reserved: [u32; 2],
}

const RGB888: u32 = 3;

static mut IMAGE: Vec<Color> = Vec::new();
static mut DESC: Descriptor = Descriptor {
    format: RGB888,
    width: 2,
    height: 1,
    stride: 0,
    pixels: 0,
    palette: 0,
    reserved: [0; 2],
};

#[no_mangle]
pub extern "C" fn start() {
    unsafe {
        IMAGE = vec![Color { r: 255, g: 0, b: 0 }, Color { r: 60, g: 70, b: 90 }];
        DESC.pixels = IMAGE.as_ptr() as u32;
    }
}

#[no_mangle]
pub extern "C" fn update() {}

#[no_mangle]
pub extern "C" fn framebuffer() -> *const Descriptor {
    unsafe { &DESC }
}
