//! Where the key may go: through the proxy nowhere (the proxy adds its own); directly, only to the origin of the
//! gateway the person named, whatever URL an answer names. Origins are read here by a URL parser, as the app has
//! the browser's read them.

use studio_core::gateway::{encode_component, Gateway};
use zonos_api::API_KEY_HEADER;

fn origin(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|url| url.origin().ascii_serialization()).filter(|origin| origin != "null")
}

const ID: &str = "zonos-2_019d0000-0000-7000-8000-000000000001";

#[test]
fn directly_a_polling_url_is_followed_only_at_the_gateway_s_own_origin() {
    let gateway = Gateway::direct("https://gateway.pixazo.ai/ ", "sk-1");
    let own = format!("https://gateway.pixazo.ai/v2/requests/status/{ID}");
    assert_eq!(gateway.own_status_url(Some(&own), ID, origin), own);
    let fallback = format!("https://gateway.pixazo.ai/v2/requests/status/{ID}");
    for elsewhere in [
        "https://evil.example/v2/requests/status/x",
        "https://gateway.pixazo.ai.evil.example/status",
        "https://gateway.pixazo.ai@evil.example/status",
        "http://gateway.pixazo.ai/v2/requests/status/x",
        "https://gateway.pixazo.ai:8443/v2/requests/status/x",
        "//evil.example/status",
        "/v2/requests/status/x",
        "javascript:alert(1)",
        "not a url",
    ] {
        assert_eq!(gateway.own_status_url(Some(elsewhere), ID, origin), fallback, "{elsewhere}");
    }
    assert_eq!(gateway.own_status_url(None, ID, origin), fallback);
    // The same origin written another way is the same origin.
    let upper = format!("HTTPS://GATEWAY.pixazo.ai:443/v2/requests/status/{ID}");
    assert_eq!(gateway.own_status_url(Some(&upper), ID, origin), upper);
}

#[test]
fn through_the_proxy_the_page_always_polls_its_own_path_and_sends_no_key() {
    let proxy = Gateway::through_proxy(true);
    let given = format!("http://127.0.0.1:8080/api/v2/requests/status/{ID}");
    assert_eq!(proxy.own_status_url(Some(&given), ID, origin), format!("api/v2/requests/status/{ID}"));
    assert!(proxy.headers().iter().all(|(name, _)| *name != API_KEY_HEADER));
    assert_eq!(proxy.events_url(ID), Some(format!("api/v2/requests/events/{ID}")));
    assert_eq!(proxy.submit_url(), "api/zonos-2/v1/zonos-2-request");
}

#[test]
fn directly_the_key_goes_in_the_documented_header() {
    let gateway = Gateway::direct("https://gateway.example", " sk-2 ");
    assert!(gateway.headers().contains(&(API_KEY_HEADER, "sk-2")));
    assert_eq!(gateway.events_url(ID), None);
    assert_eq!(gateway.submit_url(), "https://gateway.example/zonos-2/v1/zonos-2-request");
}

#[test]
fn media_goes_through_the_proxy_encoded_or_straight_to_the_cdn() {
    let url = "https://cdn.example/v1/a b/output.wav?x=1&y=2";
    assert_eq!(
        Gateway::through_proxy(false).media_url(url),
        "api/media?url=https%3A%2F%2Fcdn.example%2Fv1%2Fa%20b%2Foutput.wav%3Fx%3D1%26y%3D2"
    );
    assert_eq!(Gateway::direct("https://gateway.example", "k").media_url(url), url);
    assert_eq!(encode_component("é-_.~"), "%C3%A9-_.~");
}
