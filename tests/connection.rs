//! What a `config.json` tells the page: the proxy's offer, or a static host's defaults, read leniently.

use wasm_bindgen_test::*;
use zonos_api::Language;
use zonos_studio::gateway::connection::{read_config, Connection, HostDefaults, Offer, Voice};

wasm_bindgen_test_configure!(run_in_browser);

fn voice(name: &str, url: &str, language: Option<Language>) -> Voice {
    Voice { name: name.into(), url: url.into(), language }
}

#[wasm_bindgen_test]
fn the_proxy_s_offer_is_read_with_its_voices() {
    let config = r#"{"proxy": true, "sandbox": true, "events": true, "uploads": false, "sign_in": true, "extra": 1,
        "voices": [{"name": "Ada", "url": "http://a/ada.wav", "language": "en_gb"}, {"name": "Basil", "url": "http://a/b.wav"}]}"#;
    assert_eq!(
        read_config(config),
        Connection::Proxy(Offer {
            sandbox: true,
            events: true,
            uploads: false,
            voices: vec![
                voice("Ada", "http://a/ada.wav", Some(Language::EnGb)),
                voice("Basil", "http://a/b.wav", None)
            ],
            sign_in: true,
        })
    );
}

#[wasm_bindgen_test]
fn a_static_host_s_defaults_are_not_an_offer() {
    let config =
        r#"{"gateway_url": "https://gateway.example", "voices": [{"name": "Ada", "url": "https://a/ada.wav"}]}"#;
    assert_eq!(
        read_config(config),
        Connection::Direct(HostDefaults {
            gateway_url: Some("https://gateway.example".into()),
            voices: vec![voice("Ada", "https://a/ada.wav", None)],
        })
    );
}

#[wasm_bindgen_test]
fn ill_formed_entries_are_left_out_and_a_broken_file_is_no_config() {
    let config = r#"{"proxy": "yes", "gateway_url": 3, "voices": [{"name": "No URL"}, 7, {"name": "Ok", "url": "u", "language": "xx"}]}"#;
    assert_eq!(
        read_config(config),
        Connection::Direct(HostDefaults { gateway_url: None, voices: vec![voice("Ok", "u", None)] })
    );
    assert_eq!(read_config("{not json"), Connection::Direct(HostDefaults::default()));
    assert_eq!(read_config("[1, 2]"), Connection::Direct(HostDefaults::default()));
}

/// The proxy's own answer (its test, `zonos-server/tests/app_contract.rs`, checks it is this file) reads as an offer.
#[wasm_bindgen_test]
fn the_proxy_s_actual_offer_is_read_whole() {
    let offer = include_str!("../crates/zonos-api/tests/fixtures/proxy-offer.json");
    let voice = |name: &str, file: &str, language| Voice {
        name: name.into(),
        url: format!("http://127.0.0.1:8080/sandbox/__sandbox/voices/{file}"),
        language,
    };
    assert_eq!(
        read_config(offer),
        Connection::Proxy(Offer {
            sandbox: true,
            events: true,
            uploads: true,
            voices: vec![
                voice("Ada", "ada.wav", Some(Language::EnUs)),
                voice("Basil", "basil.wav", Some(Language::EnGb)),
                voice("Margaux", "margaux.wav", Some(Language::FrFr)),
            ],
            sign_in: false,
        })
    );
}
