//! A review link's QR code, drawn as one SVG path from the modules the server worked out (no network, no image):
//! phones in the room scan it.

use leptos::prelude::*;
use zonos_api::QrDrawing;

/// The QR code `qr`, named for those who can't see it.
#[component]
pub fn QrCodeOf(qr: QrDrawing) -> impl IntoView {
    let (view_box, size) = (format!("0 0 {0} {0}", qr.size), qr.size.to_string());
    view! {
        <svg class="qr" role="img" aria-label="QR code of the review link" viewBox=view_box shape-rendering="crispEdges">
            <rect width=size.clone() height=size fill="#fff" />
            <path d=qr.path fill="#000" />
        </svg>
    }
}
