//! Who may spend the key. `open`: anyone who reaches the server (the default where nobody else can: see
//! [`default_mode`]). `codes`: a person signs in with an access code (`codes`), which opens a session (`sessions`);
//! every `/api` call but the app's config, the sign-in, the gateway's webhooks and its reference downloads then
//! needs one, and what changes anything must also come from the studio's own page. A person's budgets are counted
//! by `proxy::limits` with the daily cap. An invite link (`join`) is a code with a number of uses. `header`: a
//! reverse proxy signs people in and names them (`identity_header`). `oidc`: people sign in at an OpenID provider,
//! which opens a session as a code does (`oidc`). Every submission sent upstream goes in the spend log (`usage`).

pub mod cli;
pub mod codes;
pub mod identity_header;
pub mod oidc;
pub mod sessions;
pub mod usage;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use zonos_api::JOIN_FRAGMENT;

use crate::net::client::{limit_key, TrustedProxies};
use crate::net::host::{host_of, origin_is_host};
use crate::store::{now_secs, Budget, NewSession, Store, StoreError};
use sessions::Person;

/// Who may use the proxy's API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum AccessMode {
    #[default]
    Open,
    Codes,
    /// A reverse proxy signs people in, and names them in a header (see [`identity_header`]).
    Header,
    /// People sign in at an OpenID Connect provider (see [`oidc`]).
    Oidc,
}

/// Who may use the API, and how people are known.
#[derive(Debug, Clone)]
pub struct AccessConfig {
    pub mode: AccessMode,
    /// The header a reverse proxy names people in, with `--access header` (`--access-header`).
    pub identity_header: HeaderName,
    /// What people signed in by the reverse proxy or the OpenID provider may do.
    pub grants: Grants,
    /// The OpenID provider, with `--access oidc`.
    pub oidc: Option<oidc::OidcConfig>,
}

impl Default for AccessConfig {
    fn default() -> AccessConfig {
        AccessConfig {
            mode: AccessMode::Open,
            identity_header: HeaderName::from_static("remote-user"),
            grants: Grants::default(),
            oidc: None,
        }
    }
}

/// What a person signed in by someone else (the reverse proxy, the OpenID provider) may do: no code of ours says.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    /// What each may send (`--default-budget`, `--default-total`).
    pub budget: Budget,
    /// Who of them may read the spend log and revoke people (`--admin`).
    pub admins: Vec<String>,
}

impl Grants {
    pub fn person(&self, name: &str) -> Person {
        Person { name: name.to_owned(), budget: self.budget, admin: self.admins.iter().any(|admin| admin == name) }
    }
}

/// The longest name believed from elsewhere: user names and e-mail addresses are far shorter.
pub const LONGEST_NAME: usize = 256;

/// The mode when `--access` is not given: open only where nobody but this machine's own users can reach the server.
/// It listens on loopback, no reverse proxy is trusted to bring others (`--trusted-proxy`), and its public URL, if
/// any, is local too. Replicas on 127.0.0.1 behind nginx name a public URL, so they sign people in.
pub fn default_mode(local: SocketAddr, public_url: Option<&str>, trusted_proxies: &TrustedProxies) -> AccessMode {
    let public_host = public_url.map(|url| {
        let authority = url.split_once("://").map_or(url, |(_, rest)| rest);
        host_of(authority.split('/').next().unwrap_or_default())
    });
    let local_name = |host: &str| {
        host == "localhost"
            || host.ends_with(".localhost")
            || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    };
    if local.ip().is_loopback() && trusted_proxies.0.is_empty() && public_host.as_deref().is_none_or(local_name) {
        AccessMode::Open
    } else {
        AccessMode::Codes
    }
}

/// How long a session lasts once opened.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// What the guard and the sign-in routes share.
#[derive(Clone)]
pub struct Access {
    pub mode: AccessMode,
    pub store: Store,
    /// The page is served over https: the cookie is `Secure`.
    pub secure: bool,
    /// Who a request is from, for the sign-in limits.
    pub trusted_proxies: TrustedProxies,
    /// Pages of other origins allowed to call (`--allow-origin`).
    pub allow_origins: Vec<String>,
    /// The header a reverse proxy names people in, in `header` mode.
    pub identity_header: HeaderName,
    /// What people signed in elsewhere may do, in `header` and `oidc` mode.
    pub grants: Grants,
    /// The OpenID provider, in `oidc` mode.
    pub oidc: Option<std::sync::Arc<oidc::Oidc>>,
}

/// Sessions one code may have open at once (a laptop, a phone, the presenter's machine…): signing in once more
/// ends the oldest, so that a code passed around can't open sessions without end.
pub const SESSIONS_PER_CODE: u32 = 3;

/// Sign-in attempts allowed a minute from one client, and on one code: enough for typos, not for guessing.
pub(super) const ATTEMPTS_PER_CLIENT: u32 = 10;
const ATTEMPTS_PER_CODE: u32 = 5;

/// Why a call was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("Sign in to use this studio: enter your access code.")]
    SignInRequired,
    #[error("That access code is not valid: it may be mistyped, used up, expired or revoked.")]
    WrongCode,
    #[error("A signed-in call must come from this studio's own page.")]
    NotFromThisStudio,
    #[error("This studio believes who you are only from its own reverse proxy.")]
    ForgedIdentity,
    #[error("Only an admin of this studio may do that.")]
    NotAdmin,
    #[error("An admin can't revoke themself from the page: `zonos-server access revoke NAME` does.")]
    RevokingYourself,
    #[error("People sign in at this studio's sign-in service: revoke them there.")]
    RevokedElsewhere,
    #[error("Too many sign-in attempts: try again in {} s.", .0.as_secs().max(1))]
    TooManyAttempts(Duration),
    #[error("the store could not be reached: {0}")]
    Store(#[from] StoreError),
}

impl IntoResponse for AccessError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            AccessError::SignInRequired => (StatusCode::UNAUTHORIZED, zonos_api::SIGN_IN_REQUIRED),
            AccessError::WrongCode => (StatusCode::UNAUTHORIZED, "Wrong Code"),
            AccessError::NotFromThisStudio
            | AccessError::ForgedIdentity
            | AccessError::NotAdmin
            | AccessError::RevokingYourself
            | AccessError::RevokedElsewhere => (StatusCode::FORBIDDEN, "Forbidden"),
            AccessError::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests"),
            AccessError::Store(_) => (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable"),
        };
        if let AccessError::Store(error) = &self {
            tracing::warn!(%error, "access: the store failed");
        }
        let wait = match &self {
            AccessError::TooManyAttempts(wait) => Some(wait.as_secs().max(1)),
            _ => None,
        };
        let mut response = crate::error_response(status, title, self.to_string(), wait);
        if status == StatusCode::UNAUTHORIZED {
            // Not `Basic`: no browser dialog; the app shows its own sign-in.
            let headers = response.headers_mut();
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("ZonosStudio realm=\"zonos-studio\""));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        response
    }
}

/// The person whose session the request carries, if it is open.
async fn session_person(store: &Store, headers: &HeaderMap) -> Result<Option<Person>, AccessError> {
    let Some(token) = sessions::token_of(headers) else { return Ok(None) };
    let record = store.session(&sessions::token_hash(token)).await?;
    Ok(record.and_then(|record| serde_json::from_str(&record).ok()))
}

/// Whether the request carries an open session.
pub async fn signed_in(store: &Store, headers: &HeaderMap) -> Result<bool, AccessError> {
    Ok(session_person(store, headers).await?.is_some())
}

impl Access {
    /// Who the request from `peer` is from: its session's person (codes, oidc), or whom the trusted reverse proxy
    /// names (header); nobody with open access.
    async fn person(&self, peer: IpAddr, headers: &HeaderMap) -> Result<Option<Person>, AccessError> {
        match self.mode {
            AccessMode::Open => Ok(None),
            AccessMode::Codes | AccessMode::Oidc => session_person(&self.store, headers).await,
            AccessMode::Header => {
                match identity_header::vouched(&self.identity_header, &self.trusted_proxies, peer, headers) {
                    identity_header::Vouched::Name(name) => Ok(Some(self.grants.person(&name))),
                    identity_header::Vouched::Nobody => Ok(None),
                    identity_header::Vouched::Forged => Err(AccessError::ForgedIdentity),
                }
            }
        }
    }
}

/// Whether a call that changes something comes from this studio's page (or an allowed one): its `Origin` names
/// the host it was sent to. Unlike open mode, where servers call without one, a cookie's call must say: the cookie
/// alone can't tell the studio's page from a forged form.
fn from_this_studio(access: &Access, method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD) {
        return true;
    }
    let text = |name| headers.get(name).and_then(|value: &HeaderValue| value.to_str().ok());
    let Some(origin) = text(header::ORIGIN) else { return false };
    text(header::HOST).is_some_and(|host| origin_is_host(origin, host))
        || access.allow_origins.iter().any(|allowed| allowed == origin)
}

/// The guard on the routes that spend the key or use the store: unless access is open, a call from nobody (no open
/// session; no name from the trusted proxy) is refused, and so is one that changes something from another page or
/// names someone from elsewhere; the person it is goes with the request.
pub async fn require(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    if access.mode == AccessMode::Open {
        return next.run(request).await;
    }
    if !from_this_studio(&access, request.method(), request.headers()) {
        return AccessError::NotFromThisStudio.into_response();
    }
    match access.person(peer.ip(), request.headers()).await {
        Ok(Some(person)) => {
            request.extensions_mut().insert(person);
            next.run(request).await
        }
        Ok(None) => AccessError::SignInRequired.into_response(),
        Err(error) => error.into_response(),
    }
}

/// The sign-in routes, under `/access`.
pub fn routes<S>(access: Access) -> Router<S> {
    let routes = Router::new()
        .route(zonos_api::SIGN_IN_PATH, post(sign_in))
        .route(zonos_api::SIGN_OUT_PATH, post(sign_out))
        .route(zonos_api::SESSION_PATH, get(session))
        .route(zonos_api::USAGE_PATH, get(usage_by_day))
        .route(zonos_api::REVOKE_PATH, post(revoke_person));
    let routes = match access.oidc {
        Some(_) => routes
            .route(zonos_api::OIDC_START_PATH, get(oidc::begin_sign_in))
            .route(zonos_api::OIDC_CALLBACK_PATH, get(oidc::finish_sign_in)),
        None => routes,
    };
    routes.with_state(access)
}

/// Counts a sign-in attempt under each key, refused past its limit a minute.
pub(super) async fn counted(access: &Access, limits: &[(String, u32)]) -> Result<(), AccessError> {
    for (key, limit) in limits {
        if let Some(wait) = access.store.hit(key, *limit, Duration::from_secs(60)).await? {
            return Err(AccessError::TooManyAttempts(wait));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct SignIn {
    code: String,
}

/// Opens a session for the holder of `code`, in a new cookie (a session presented with it is ended: rotated). Only
/// from this studio's page: another can't sign a visitor in as someone else.
async fn sign_in(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<SignIn>,
) -> Result<Response, AccessError> {
    if !from_this_studio(&access, &Method::POST, &headers) {
        return Err(AccessError::NotFromThisStudio);
    }
    let (id, secret) = codes::split(&body.code).unwrap_or(("", ""));
    let client = limit_key(access.trusted_proxies.client(peer.ip(), &headers));
    counted(
        &access,
        &[(format!("sign-in:{client}"), ATTEMPTS_PER_CLIENT), (format!("sign-in-code:{id}"), ATTEMPTS_PER_CODE)],
    )
    .await?;
    let record = access.store.code(id).await?.and_then(|record| serde_json::from_str(&record).ok());
    let secret = secret.to_owned();
    let checked = tokio::task::spawn_blocking(move || codes::check(record, &secret, now_secs()))
        .await
        .map_err(|_| AccessError::WrongCode)?;
    let code = checked.ok_or(AccessError::WrongCode)?;
    // Counted once the code is known right: a mistyped one spends none of an invite's uses.
    if let Some(uses) = code.uses {
        if !access.store.use_code(&code.id, uses).await? {
            return Err(AccessError::WrongCode);
        }
    }
    let person = Person::from(&code);
    // An invite signs in as many as its uses, each on a device of their own.
    let most = code.uses.unwrap_or(SESSIONS_PER_CODE).max(1);
    let cookie = open_session(&access, &headers, &person, &code.id, most).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "person": person.name }))).into_response())
}

/// Opens a session for `person`, bound with at most `most` others to `code` (what signed them in), and ends the
/// one the request carried (rotation: a token seen before signing in is worth nothing after); the cookie for it.
pub(super) async fn open_session(
    access: &Access,
    headers: &HeaderMap,
    person: &Person,
    code: &str,
    most: u32,
) -> Result<HeaderValue, AccessError> {
    if let Some(old) = sessions::token_of(headers) {
        access.store.end_session(&sessions::token_hash(old)).await?;
    }
    let token = sessions::new_token();
    let record = serde_json::to_string(person).expect("a person serializes");
    let session = NewSession {
        hash: &sessions::token_hash(&token),
        person: &person.name,
        record: &record,
        lifetime: SESSION_LIFETIME,
        code,
        most,
    };
    access.store.open_session(&session).await?;
    Ok(sessions::cookie(Some(&token), SESSION_LIFETIME.as_secs(), access.secure))
}

/// An invite link: sends the page to the studio's address (`../`, whatever path the studio is served under) with
/// the code in the fragment, where the page reads it. Nothing is used by following it: only a sign-in uses the code.
pub async fn join(Path(code): Path<String>) -> Response {
    let fragment = codes::split(&code).map_or(String::new(), |(id, secret)| format!("{JOIN_FRAGMENT}{id}-{secret}"));
    let location = HeaderValue::from_str(&format!("../{fragment}")).expect("a code is hex");
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
    )
        .into_response()
}

/// Ends the session the request carries, on every replica.
async fn sign_out(State(access): State<Access>, headers: HeaderMap) -> Result<Response, AccessError> {
    if !from_this_studio(&access, &Method::POST, &headers) {
        return Err(AccessError::NotFromThisStudio);
    }
    if let Some(token) = sessions::token_of(&headers) {
        access.store.end_session(&sessions::token_hash(token)).await?;
    }
    Ok(([(header::SET_COOKIE, sessions::cookie(None, 0, access.secure))], StatusCode::NO_CONTENT).into_response())
}

/// Who the page is signed in as, and what they have left of their budgets; in open mode, nobody.
async fn session(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<zonos_api::SignedIn>, AccessError> {
    if access.mode == AccessMode::Open {
        return Ok(Json(zonos_api::SignedIn::default()));
    }
    let person = access.person(peer.ip(), &headers).await?.ok_or(AccessError::SignInRequired)?;
    let used = access.store.budget_used(&person.name, now_secs() / crate::store::DAY_SECS).await?;
    let budget = zonos_api::BudgetLeft {
        daily: person.budget.daily,
        used_today: used.today,
        in_all: person.budget.in_all,
        used_in_all: used.in_all,
    };
    // A reverse proxy's sign-in is ended there, not by this page.
    let sign_out = access.mode != AccessMode::Header;
    Ok(Json(zonos_api::SignedIn { person: Some(person.name), admin: person.admin, sign_out, budget }))
}

/// The signed-in admin the request from `peer` comes from (in open mode nobody is one).
async fn admin(access: &Access, peer: SocketAddr, method: &Method, headers: &HeaderMap) -> Result<Person, AccessError> {
    if access.mode == AccessMode::Open {
        return Err(AccessError::NotAdmin);
    }
    if !from_this_studio(access, method, headers) {
        return Err(AccessError::NotFromThisStudio);
    }
    let person = access.person(peer.ip(), headers).await?.ok_or(AccessError::SignInRequired)?;
    if !person.admin {
        return Err(AccessError::NotAdmin);
    }
    Ok(person)
}

#[derive(Deserialize)]
struct UsageQuery {
    days: Option<u64>,
}

/// The spend log of the last days (7 unless asked), by person and day, for an admin.
async fn usage_by_day(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<UsageQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<zonos_api::UsageRow>>, AccessError> {
    admin(&access, peer, &Method::GET, &headers).await?;
    let days = query.days.unwrap_or(7).clamp(1, crate::store::SPEND_LOG_LIFETIME.as_secs() / crate::store::DAY_SECS);
    let since = now_secs().saturating_sub(days * crate::store::DAY_SECS);
    Ok(Json(usage::by_day(&access.store.spends_since(since).await?)))
}

#[derive(Deserialize)]
struct RevokeRequest {
    name: String,
}

/// Revokes a person, for an admin (not themself: that would end the very session asking).
async fn revoke_person(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<RevokeRequest>,
) -> Result<Json<serde_json::Value>, AccessError> {
    let admin = admin(&access, peer, &Method::POST, &headers).await?;
    // Signed in elsewhere, a person revoked here would sign in again at once.
    if matches!(access.mode, AccessMode::Header | AccessMode::Oidc) {
        return Err(AccessError::RevokedElsewhere);
    }
    if admin.name == body.name {
        return Err(AccessError::RevokingYourself);
    }
    let codes = revoke(&access.store, &body.name).await?;
    tracing::info!(by = %admin.name, name = %body.name, codes, "access: revoked");
    Ok(Json(json!({ "revoked": body.name, "codes": codes })))
}

/// Makes an access code (or, with uses, an invite) for `name`, keeps its record, and returns the code (to hand over
/// once: it is not kept).
pub async fn add_code(store: &Store, name: &str, grant: codes::Grant) -> Result<String, AccessError> {
    let (code, record) = codes::mint(name, grant).map_err(|_| AccessError::WrongCode)?;
    store.put_code(&record.id, &serde_json::to_string(&record).expect("a record serializes")).await?;
    Ok(code)
}

/// Every access code's record (their secrets' hashes only), by name.
pub async fn list_codes(store: &Store) -> Result<Vec<codes::CodeRecord>, AccessError> {
    let mut records: Vec<codes::CodeRecord> =
        store.codes().await?.iter().filter_map(|record| serde_json::from_str(record).ok()).collect();
    records.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(records)
}

/// Revokes `name`: their codes stop working and their sessions end, on every replica. How many codes went.
pub async fn revoke(store: &Store, name: &str) -> Result<usize, AccessError> {
    let theirs: Vec<codes::CodeRecord> =
        list_codes(store).await?.into_iter().filter(|record| record.name == name).collect();
    for record in &theirs {
        store.remove_code(&record.id).await?;
    }
    store.end_sessions_of(name).await?;
    Ok(theirs.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipnet::IpNet;

    fn mode(local: &str, public_url: Option<&str>, trusted: &[&str]) -> AccessMode {
        let trusted = TrustedProxies(trusted.iter().map(|net| net.parse::<IpNet>().unwrap()).collect());
        default_mode(local.parse().unwrap(), public_url, &trusted)
    }

    #[test]
    fn a_person_signed_in_elsewhere_gets_the_default_budget_and_is_an_admin_only_if_named() {
        let grants =
            Grants { budget: Budget { daily: Some(20), in_all: None }, admins: vec!["olga@example.test".into()] };
        let ada = grants.person("ada@example.test");
        assert_eq!((ada.budget.daily, ada.admin), (Some(20), false));
        assert!(grants.person("olga@example.test").admin);
        assert!(!grants.person("olga").admin, "the name as given, whole");
    }

    #[test]
    fn only_a_server_nobody_else_reaches_is_open_by_default() {
        assert_eq!(mode("127.0.0.1:8080", None, &[]), AccessMode::Open);
        assert_eq!(mode("[::1]:8080", Some("http://localhost:8080/studio"), &[]), AccessMode::Open);
        assert_eq!(mode("127.0.0.1:8081", Some("http://127.0.0.1:9000/studio"), &[]), AccessMode::Open);
        // Listening elsewhere, behind a trusted proxy, or known by a public name: others come.
        assert_eq!(mode("0.0.0.0:8080", None, &[]), AccessMode::Codes);
        assert_eq!(mode("192.168.1.5:8080", None, &[]), AccessMode::Codes);
        assert_eq!(mode("127.0.0.1:8081", None, &["127.0.0.1/32"]), AccessMode::Codes);
        assert_eq!(mode("127.0.0.1:8081", Some("https://example.com/studio"), &[]), AccessMode::Codes);
        assert_eq!(mode("127.0.0.1:8081", Some("https://127.0.0.1.nip.io/studio"), &[]), AccessMode::Codes);
    }
}
