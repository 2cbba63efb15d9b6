//! The waveform's shape, in headless Chromium: each column holds the loudest sample of its slice.

use wasm_bindgen_test::*;
use zonos_studio::player::waveform::peaks;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn each_column_holds_the_loudest_sample_of_its_slice() {
    let samples = [0.1, -0.5, 0.2, 0.0, 0.9, -0.3, 0.05, -0.05];
    assert_eq!(peaks(&samples, 4), [0.5, 0.2, 0.9, 0.05]);
    assert_eq!(peaks(&samples, 3), [0.5, 0.9, 0.05]);
    assert_eq!(peaks(&samples, 100).len(), samples.len(), "never more columns than samples");
    assert!(peaks(&[], 10).is_empty());
}
