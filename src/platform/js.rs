//! Reading JavaScript values: what the browser's JSON parser returns, and DOM objects' properties. The first screen
//! reads its JSON this way, without a Rust JSON library. Also calling a method by name: each browser method the app
//! binds costs the first load a shim in the one glue of every part (see docs/usage.md), so that rarely used ones are
//! called through this.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `target[name]`; `undefined` when it has none, or is not an object.
pub fn property(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target[method]()`, if it has that method; what it returns.
pub fn call(target: &JsValue, method: &str) -> Option<JsValue> {
    property(target, method).dyn_into::<Function>().ok()?.call0(target).ok()
}

/// The items of `value` if it is an array; none otherwise.
pub fn items(value: &JsValue) -> Vec<JsValue> {
    if Array::is_array(value) {
        Array::from(value).to_vec()
    } else {
        Vec::new()
    }
}
