//! Reading JavaScript values: what the browser's JSON parser returns, and DOM objects' properties. The first screen
//! reads its JSON this way, without a Rust JSON library.

use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

/// `target[name]`; `undefined` when it has none, or is not an object.
pub fn property(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// The items of `value` if it is an array; none otherwise.
pub fn items(value: &JsValue) -> Vec<JsValue> {
    if Array::is_array(value) {
        Array::from(value).to_vec()
    } else {
        Vec::new()
    }
}
