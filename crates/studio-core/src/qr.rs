//! A QR code as an SVG path of its dark modules: the server works out a review link's, which the app draws for
//! phones in the room to scan (no network, no image).

use qrcode::{Color, EcLevel, QrCode};

/// The path of the dark modules of `text`'s QR code, and its width in modules (a quiet zone of 4 around it).
pub fn modules(text: &str) -> Option<(String, usize)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let path: String = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == Color::Dark)
        .map(|(at, _)| format!("M{} {}h1v1h-1z", at % width + 4, at / width + 4))
        .collect();
    Some((path, width + 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_draws_a_square_of_modules_with_its_quiet_zone() {
        let (path, size) = modules("http://192.168.1.20:8080/r/0123456789abcdef0123456789abcdef").unwrap();
        // Version 4 (33 modules) holds a link this long at level M; 4 modules of quiet zone each side.
        assert_eq!(size, 33 + 8);
        assert!(path.starts_with("M4 4h1v1h-1z"), "the finder pattern's corner is dark");
        assert!(!path.contains("M0 ") && !path.contains(" 0h"), "the quiet zone stays light");
    }
}
