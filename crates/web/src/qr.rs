//! QR codes of activation codes, as SVG and as PNG (8-bit greyscale, 4-module quiet zone).

use qrcode::{EcLevel, QrCode};

/// Why a QR code could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text does not fit a QR code.
    #[error("qr: {0}")]
    Encode(String),
    /// PNG encoding failed.
    #[error("png: {0}")]
    Png(String),
}

fn code(text: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| QrError::Encode(e.to_string()))
}

/// An SVG image of `text`.
pub fn svg(text: &str) -> Result<String, QrError> {
    Ok(code(text)?.render::<qrcode::render::svg::Color>().min_dimensions(256, 256).quiet_zone(true).build())
}

/// Pixels per module in the PNG.
const SCALE: usize = 8;
/// Quiet-zone modules on each side.
const QUIET: usize = 4;

/// A PNG image of `text`.
pub fn png(text: &str) -> Result<Vec<u8>, QrError> {
    let code = code(text)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
            for y in my * SCALE..(my + 1) * SCALE {
                pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let side32 = u32::try_from(side).map_err(|e| QrError::Png(e.to_string()))?;
        let mut enc = png::Encoder::new(&mut out, side32, side32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| QrError::Png(e.to_string()))?;
        w.write_image_data(&pixels).map_err(|e| QrError::Png(e.to_string()))?;
    }
    Ok(out)
}
