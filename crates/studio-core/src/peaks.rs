//! A waveform's shape: how far into its height each column of the drawing reaches.

/// The loudest sample in each of `columns` slices of `samples` (fewer columns when there are fewer samples).
pub fn peaks(samples: &[f32], columns: usize) -> Vec<f32> {
    if samples.is_empty() || columns == 0 {
        return Vec::new();
    }
    let per_column = samples.len().div_ceil(columns);
    samples
        .chunks(per_column)
        .map(|chunk| chunk.iter().fold(0.0f32, |loudest, sample| loudest.max(sample.abs())))
        .collect()
}
