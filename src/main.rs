use leptos::prelude::*;
use zonos_studio::{prerendered, App};

fn main() {
    console_error_panic_hook::set_once();
    let carried = prerendered::take_over();
    let handed = carried.clone();
    leptos::mount::mount_to_body(move || view! { <App carried=handed /> });
    prerendered::started(&carried);
}
