//! The waveform's shape: each column holds the loudest sample of its slice.

use studio_core::peaks::peaks;

#[test]
fn each_column_holds_the_loudest_sample_of_its_slice() {
    let samples = [0.1, -0.5, 0.2, 0.0, 0.9, -0.3, 0.05, -0.05];
    assert_eq!(peaks(&samples, 4), [0.5, 0.2, 0.9, 0.05]);
    assert_eq!(peaks(&samples, 3), [0.5, 0.9, 0.05]);
    assert_eq!(peaks(&samples, 100).len(), samples.len(), "never more columns than samples");
    assert!(peaks(&[], 10).is_empty());
}
