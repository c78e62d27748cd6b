//! Face images for the tests, made from the real portraits that ship in the PyPI
//! `face_recognition` source archive (scripts/face-assets.sh puts them in
//! ~/.cache/ekyc/tools/face/photos): ID cards carrying a portrait, selfies, and liveness frame
//! bursts.
//!
//! The liveness "turns" are synthetic: a smooth sideways displacement of the region around the
//! nose, which moves the nose between the eyes as a real head turn does. That is exactly the kind
//! of digitally forged video the liveness check does not claim to stop (docs/faces.md); here it
//! stands in for a person the tests cannot film.

use std::io::Cursor;
use std::path::PathBuf;

use ekyc_face::{Action, FaceEngine};
use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

pub fn photos_dir() -> PathBuf {
    std::env::var("EKYC_FACE_PHOTOS_DIR").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/ekyc/tools/face/photos")
    })
}

/// Who is who in the photos.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Person {
    /// obama.jpg (910×1137), face box ≈ (361, 134) 254 px.
    A,
    /// biden.jpg.
    B,
}

pub fn photo(p: Person) -> RgbImage {
    let name = match p {
        Person::A => "obama.jpg",
        Person::B => "biden.jpg",
    };
    let path = photos_dir().join(name);
    image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run scripts/face-assets.sh)", path.display())).to_rgb8()
}

/// A head-and-shoulders crop (4:5) centred on the face.
pub fn portrait(p: Person) -> RgbImage {
    let img = photo(p);
    let (x, y, w, h) = match p {
        Person::A => (258, 2, 460, 575),
        Person::B => (0, 0, img.width(), img.width() * 5 / 4),
    };
    imageops::crop_imm(&img, x, y, w.min(img.width() - x), h.min(img.height() - y)).to_image()
}

pub fn encode(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img.clone()).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).unwrap();
    out
}

/// The front of an ID card with `p`'s portrait, photographed on a desk (passes the gate).
pub fn id_front(p: Person, seed: u8) -> Vec<u8> {
    let (w, h) = (1024u32, 768u32);
    let mut img = crate::fixtures::card(w, h, seed);
    let (x0, x1, y0, y1) = (w / 5, w * 4 / 5, h / 5, h * 4 / 5);
    let (cw, ch) = (x1 - x0, y1 - y0);
    let pw = cw * 36 / 100;
    let ph = pw * 5 / 4;
    let face = imageops::resize(&portrait(p), pw, ph.min(ch * 80 / 100), FilterType::Triangle);
    imageops::overlay(&mut img, &face, i64::from(x0 + cw / 20), i64::from(y0 + ch / 8));
    encode(&img)
}

/// A selfie: the whole photo, re-encoded (`seed` varies the bytes).
pub fn selfie(p: Person, seed: u8) -> Vec<u8> {
    let mut img = photo(p);
    noise(&mut img, seed, 2);
    encode(&img)
}

/// Two people side by side.
pub fn two_faces() -> Vec<u8> {
    let a = imageops::resize(&portrait(Person::A), 460, 575, FilterType::Triangle);
    let b = imageops::resize(&portrait(Person::B), 460, 575, FilterType::Triangle);
    let mut img = RgbImage::from_pixel(920, 575, Rgb([120, 120, 120]));
    imageops::overlay(&mut img, &a, 0, 0);
    imageops::overlay(&mut img, &b, 460, 0);
    encode(&img)
}

/// A face far too small in the picture: about 150 px in a 1280×960 frame (found, but under
/// a fifth of the short side).
pub fn tiny_face() -> Vec<u8> {
    let small = imageops::resize(&photo(Person::A), 540, 675, FilterType::Triangle);
    let mut img = RgbImage::from_pixel(1280, 960, Rgb([150, 160, 150]));
    imageops::overlay(&mut img, &small, 370, 140);
    encode(&img)
}

fn noise(img: &mut RgbImage, seed: u8, amp: i16) {
    let mut s = u32::from(seed).wrapping_mul(2_654_435_761).wrapping_add(1);
    for p in img.pixels_mut() {
        for c in &mut p.0 {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            let d = (s % (2 * amp as u32 + 1)) as i16 - amp;
            *c = (i16::from(*c) + d).clamp(0, 255) as u8;
        }
    }
}

/// A 640×480 camera frame of `p`: `turn` displaces the nose region sideways (positive: towards
/// the image's right = the person's left), `zoom` > 1 brings the face closer, `shift` moves the
/// whole picture (a photo moved around).
fn frame(src: &RgbImage, nose: (f64, f64), face_w: f64, turn: f64, zoom: f64, shift: (i64, i64), seed: u8) -> RgbImage {
    let warped = if turn.abs() > 0.0 {
        RgbImage::from_fn(src.width(), src.height(), |x, y| {
            let (dx, dy) = ((f64::from(x) - nose.0) / (0.18 * face_w), (f64::from(y) - nose.1) / (0.3 * face_w));
            let s = turn * face_w * (-(dx * dx + dy * dy) / 2.0).exp();
            let sx = (f64::from(x) - s).clamp(0.0, f64::from(src.width() - 1)) as u32;
            *src.get_pixel(sx, y)
        })
    } else {
        src.clone()
    };
    // Crop a 4:3 window around the face, smaller when closer, then scale to 640×480.
    let cw = (face_w * 2.6 / zoom).min(f64::from(src.width()));
    let ch = cw * 0.75;
    let cx = (nose.0 - cw / 2.0 - shift.0 as f64).clamp(0.0, f64::from(src.width()) - cw) as u32;
    let cy = (nose.1 - ch * 0.55 - shift.1 as f64).clamp(0.0, f64::from(src.height()) - ch) as u32;
    let crop = imageops::crop_imm(&warped, cx, cy, cw as u32, ch as u32).to_image();
    let mut out = imageops::resize(&crop, 640, 480, FilterType::Triangle);
    noise(&mut out, seed, 4);
    out
}

/// A burst answering `actions` as a live `p` would: start looking straight, perform each action
/// over a few frames, come back. `None` for `actions` gives a photo of `p` moved around instead.
pub fn burst(engine: &FaceEngine, p: Person, actions: Option<&[Action]>) -> Vec<Vec<u8>> {
    let src = photo(p);
    let faces = engine.analyse(&src);
    let face = faces.first().expect("a face in the source photo");
    let nose = (face.landmarks[4].x, face.landmarks[4].y);
    let fw = face.rect.width;
    let base = face.pose.yaw;
    // How much displacement reads as a clear turn on this face, each way (faces and their
    // starting poses differ): the smallest that moves the yaw by 0.2.
    let amount = |sign: f64| {
        [0.16, 0.2, 0.24, 0.28, 0.32]
            .into_iter()
            .find(|a| {
                let f = frame(&src, nose, fw, sign * a, 1.0, (0, 0), 0);
                engine.analyse(&f).first().is_some_and(|x| (x.pose.yaw - base) * sign >= 0.2)
            })
            .unwrap_or(0.32)
            * sign
    };
    let (left, right) = (amount(1.0), amount(-1.0));
    let mut frames = Vec::new();
    let mut seed = 1u8;
    let mut push = |turn: f64, zoom: f64, shift: (i64, i64)| {
        frames.push(encode(&frame(&src, nose, fw, turn, zoom, shift, seed)));
        seed = seed.wrapping_add(1);
    };
    push(0.0, 1.0, (0, 0));
    push(0.0, 1.0, (0, 0));
    match actions {
        Some(actions) => {
            for a in actions {
                let (turn, zoom) = match a {
                    Action::TurnLeft => (left, 1.0),
                    Action::TurnRight => (right, 1.0),
                    Action::MoveCloser => (0.0, 1.45),
                };
                push(turn / 2.0, 1.0 + (zoom - 1.0) / 2.0, (0, 0));
                push(turn, zoom, (0, 0));
                push(turn, zoom, (0, 0));
                push(0.0, 1.0, (0, 0));
            }
        }
        None => {
            for (i, z) in [1.0, 1.15, 1.3, 1.45, 1.2, 1.0, 0.9, 1.0].iter().enumerate() {
                push(0.0, *z, ((i as i64 - 4) * 12, (i as i64 % 3) * 8));
            }
        }
    }
    frames
}
