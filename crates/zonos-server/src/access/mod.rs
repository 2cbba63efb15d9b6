//! Who may spend the key. `open`: anyone who reaches the server (today's default). `codes`: a person signs in
//! with an access code (`codes`), which opens a session (`sessions`); every `/api` call but the app's config, the
//! gateway's webhooks and its reference downloads then needs one. Still to come (docs/plans/access.md): the app's
//! sign-in panel, the CLI to make codes, `codes` as the default off loopback, budgets and the spend log.

pub mod codes;
pub mod sessions;

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::store::{now_secs, Store, StoreError};
use sessions::Person;

/// Who may use the proxy's API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum AccessMode {
    #[default]
    Open,
    Codes,
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
}

/// Why a call was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("Sign in to use this studio: enter your access code.")]
    SignInRequired,
    #[error("That access code is not valid: it may be mistyped, expired or revoked.")]
    WrongCode,
    #[error("the store could not be reached: {0}")]
    Store(#[from] StoreError),
}

impl IntoResponse for AccessError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            AccessError::SignInRequired => (StatusCode::UNAUTHORIZED, "Sign In Required"),
            AccessError::WrongCode => (StatusCode::UNAUTHORIZED, "Wrong Code"),
            AccessError::Store(_) => (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable"),
        };
        if let AccessError::Store(error) = &self {
            tracing::warn!(%error, "access: the store failed");
        }
        let mut response = crate::error_response(status, title, self.to_string(), None);
        if status == StatusCode::UNAUTHORIZED {
            // Not `Basic`: no browser dialog; the app shows its own sign-in.
            let headers = response.headers_mut();
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("ZonosStudio realm=\"zonos-studio\""));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        response
    }
}

impl Access {
    /// The person whose session the request carries, if it is open.
    async fn person(&self, headers: &HeaderMap) -> Result<Option<Person>, AccessError> {
        let Some(token) = sessions::token_of(headers) else { return Ok(None) };
        let record = self.store.session(&sessions::token_hash(token)).await?;
        Ok(record.and_then(|record| serde_json::from_str(&record).ok()))
    }
}

/// The guard on the routes that spend the key or use the store: in `codes` mode, a call without an open session is
/// refused; the person it is goes with the request.
pub async fn require(State(access): State<Access>, mut request: Request, next: Next) -> Response {
    if access.mode == AccessMode::Open {
        return next.run(request).await;
    }
    match access.person(request.headers()).await {
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
    Router::new().route("/access/sign-in", post(sign_in)).route("/access/sign-out", post(sign_out)).with_state(access)
}

#[derive(Deserialize)]
struct SignIn {
    code: String,
}

/// Opens a session for the holder of `code`, in a new cookie (a session presented with it is ended: rotated).
async fn sign_in(
    State(access): State<Access>,
    headers: HeaderMap,
    Json(body): Json<SignIn>,
) -> Result<Response, AccessError> {
    let (id, secret) = codes::split(&body.code).unwrap_or(("", ""));
    let record = access.store.code(id).await?.and_then(|record| serde_json::from_str(&record).ok());
    let secret = secret.to_owned();
    let checked = tokio::task::spawn_blocking(move || codes::check(record, &secret, now_secs()))
        .await
        .map_err(|_| AccessError::WrongCode)?;
    let code = checked.ok_or(AccessError::WrongCode)?;
    if let Some(old) = sessions::token_of(&headers) {
        access.store.end_session(&sessions::token_hash(old)).await?;
    }
    let person = Person::from(&code);
    let token = sessions::new_token();
    let record = serde_json::to_string(&person).expect("a person serializes");
    access.store.open_session(&sessions::token_hash(&token), &person.name, &record, SESSION_LIFETIME).await?;
    let cookie = sessions::cookie(Some(&token), SESSION_LIFETIME.as_secs(), access.secure);
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "person": person.name, "admin": person.admin }))).into_response())
}

/// Ends the session the request carries, on every replica.
async fn sign_out(State(access): State<Access>, headers: HeaderMap) -> Result<Response, AccessError> {
    if let Some(token) = sessions::token_of(&headers) {
        access.store.end_session(&sessions::token_hash(token)).await?;
    }
    Ok(([(header::SET_COOKIE, sessions::cookie(None, 0, access.secure))], StatusCode::NO_CONTENT).into_response())
}
