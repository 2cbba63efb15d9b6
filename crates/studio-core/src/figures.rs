//! Figures as the page shows them. Written with integer formatting only: core's float formatting would add tens of
//! kilobytes to the download.

/// `12.3`: a non-negative value to one decimal.
pub fn tenths(value: f64) -> String {
    let tenths = (value.max(0.0) * 10.0).round() as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `12.3 s`.
pub fn seconds(value: f64) -> String {
    format!("{} s", tenths(value))
}

/// `2.4×`: how many seconds of audio each second of waiting gave.
pub fn ratio(value: f64) -> String {
    format!("{}×", tenths(value))
}

/// `512 B`, `88 KB`, `1.2 MB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", (bytes + 500) / 1_000),
        _ => {
            let tenths = (bytes + 50_000) / 100_000;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}
