//! An OpenID provider of the test's own (tests/oidc/provider.mjs: npm's oidc-provider), on a free loopback port,
//! stopped when the test ends; and a person signing in at it, as a browser would: following its redirects, with
//! its cookies, filling in its sign-in and consent forms.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct OidcProvider {
    child: Child,
    pub issuer: String,
}

/// The client id and secret the provider knows the studio by.
pub const CLIENT_ID: &str = "zonos-studio";
pub const CLIENT_SECRET: &str = "a-secret-of-the-tests-own";

impl OidcProvider {
    /// A free port for a provider, to name it in the studio's configuration before it starts.
    pub fn free_issuer() -> String {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        format!("http://127.0.0.1:{port}")
    }

    /// Starts the provider at `issuer`, sending browsers back to `callback`; `extra` are provider.mjs's options.
    pub fn start(issuer: &str, callback: &str, extra: &[&str]) -> OidcProvider {
        let port = issuer.rsplit(':').next().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc/provider.mjs");
        let child = Command::new("node")
            .args([script, port, callback])
            .args(extra)
            // Where the workspace's node_modules are (`cargo xtask test` installs oidc-provider there).
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs (cargo xtask test installs it with npm's packages)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).is_err() {
            assert!(Instant::now() < deadline, "the OpenID provider did not listen on {port} within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        OidcProvider { child, issuer: issuer.to_owned() }
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser at the provider: its cookies kept, no redirect followed by itself.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// What a person does at the provider, from the studio's redirect to `authorize` until the provider sends the
/// browser back to an address under `callback`: signs in as `login` (any password does), and consents; or, with
/// `decline`, aborts. The address it is sent back to.
pub async fn at_the_provider(
    browser: &reqwest::Client,
    authorize: &str,
    callback: &str,
    login: &str,
    decline: bool,
) -> String {
    let mut url = url::Url::parse(authorize).unwrap();
    for _ in 0..12 {
        let answer = browser.get(url.clone()).send().await.unwrap();
        if answer.status().is_redirection() {
            let location = answer.headers()["location"].to_str().unwrap();
            let next = url.join(location).unwrap();
            if next.as_str().starts_with(callback) {
                return next.to_string();
            }
            url = next;
            continue;
        }
        let page = answer.text().await.unwrap();
        assert!(page.contains("<form"), "a page of the provider without a form: {page}");
        let form: &[(&str, &str)] = if decline {
            url = url.join(&format!("{}/abort", url.path())).unwrap();
            continue;
        } else if page.contains(r#"name="prompt" value="login""#) {
            &[("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            &[("prompt", "consent")]
        };
        let answer = browser.post(url.clone()).form(form).send().await.unwrap();
        assert!(answer.status().is_redirection(), "the provider answered a form with {}", answer.status());
        url = url.join(answer.headers()["location"].to_str().unwrap()).unwrap();
    }
    panic!("the provider did not send the browser back within 12 steps");
}
