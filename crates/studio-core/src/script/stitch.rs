//! The parts' audio joined into one: the same sample rate throughout, with a short crossfade at each joint so that
//! no click is heard.

/// How long each joint fades from one part into the next.
pub const CROSSFADE_SECONDS: f64 = 0.03;

/// The parts one after another, each joint crossfaded over `fade` samples (less, for very short parts).
pub fn stitch(parts: &[Vec<f32>], fade: usize) -> Vec<f32> {
    let mut joined: Vec<f32> = Vec::new();
    for part in parts {
        let overlap = fade.min(joined.len()).min(part.len());
        let start = joined.len() - overlap;
        for index in 0..overlap {
            let incoming = (index + 1) as f32 / (overlap + 1) as f32;
            joined[start + index] = joined[start + index] * (1.0 - incoming) + part[index] * incoming;
        }
        joined.extend_from_slice(&part[overlap..]);
    }
    joined
}
