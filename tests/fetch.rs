//! Every fetch has a deadline, and a finished one leaves nothing behind: its timer is cleared with it.

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use zonos_studio::platform::http::{self, Deadline, Failure};

wasm_bindgen_test_configure!(run_in_browser);

// The page's timers, counted as they are set, fire and are cleared; only those of one delay, so that timers of
// the test harness are not counted.
#[wasm_bindgen(inline_js = "
const pending = new Map();
let watching = false;
export function watch_timers() {
  if (watching) return;
  watching = true;
  const set = globalThis.setTimeout, clear = globalThis.clearTimeout;
  globalThis.setTimeout = function (handler, ms, ...rest) {
    const id = set.call(globalThis, (...args) => { pending.delete(id); handler(...args); }, ms, ...rest);
    pending.set(id, ms);
    return id;
  };
  globalThis.clearTimeout = function (id) { pending.delete(id); clear.call(globalThis, id); };
}
export function pending_timers(ms) {
  return [...pending.values()].filter((delay) => delay === ms).length;
}
")]
extern "C" {
    fn watch_timers();
    fn pending_timers(ms: u32) -> u32;
}

/// A deadline no other timer of the page has.
const SECONDS: u32 = 37;

#[wasm_bindgen_test]
fn a_deadline_holds_one_timer_until_it_goes() {
    watch_timers();
    let deadline = Deadline::after(SECONDS).unwrap();
    assert_eq!(pending_timers(SECONDS * 1000), 1, "the deadline's timer is seen");
    drop(deadline);
    assert_eq!(pending_timers(SECONDS * 1000), 0);
}

#[wasm_bindgen_test]
async fn two_hundred_finished_requests_leave_no_timer_pending() {
    watch_timers();
    for _ in 0..200 {
        let answer = http::send("GET", "data:application/json,{}", &[], None, SECONDS).await.unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (200, "{}"));
    }
    assert_eq!(pending_timers(SECONDS * 1000), 0);
    // A request that fails is over too.
    let failed = http::send("GET", "not-a-scheme://nowhere", &[], None, SECONDS).await;
    assert!(matches!(failed, Err(Failure::Network(_))), "{failed:?}");
    assert_eq!(pending_timers(SECONDS * 1000), 0);
}
