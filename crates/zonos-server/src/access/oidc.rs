//! `--access oidc`: people sign in at an OpenID Connect provider (Keycloak, Authentik, Entra ID, Google…) with the
//! authorization code flow and PKCE. Beginning keeps the flow's secrets in the store under its `state` (the provider
//! may send the browser back to another replica), bound to the browser that began it by a cookie; the callback
//! takes them once, exchanges the code, and verifies the ID token (its signature, issuer, audience, expiry and
//! nonce) before a session is opened, as for a code. A person is named by their verified e-mail address, else by
//! the provider's id for them (`sub`): never by a name they may choose themselves.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use zonos_api::{SignInFailure, SIGN_IN_FAILED_FRAGMENT};

use super::{
    counted, open_session, sessions, Access, AccessError, ATTEMPTS_PER_CLIENT, LONGEST_NAME, SESSIONS_PER_CODE,
};
use crate::net::client::limit_key;
use crate::store::StoreError;

/// How an OpenID provider knows this studio: `--oidc-issuer`, `--oidc-client-id`, and the secret read from
/// `--oidc-client-secret-file` (none: a public client, which PKCE alone protects).
#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

impl OidcConfig {
    /// The provider's name for the sign-in panel: its host.
    pub fn provider_name(&self) -> String {
        url::Url::parse(&self.issuer)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| self.issuer.clone())
    }
}

/// How long a begun sign-in waits for its callback: time to type a password, and a second factor.
pub const SIGN_IN_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// How long the provider's metadata and signing keys are used before they are read again: providers rotate keys.
const METADATA_LIFETIME: Duration = Duration::from_secs(60 * 60);

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// This studio as a client of its provider.
pub struct Oidc {
    config: OidcConfig,
    redirect: RedirectUrl,
    http: reqwest::Client,
    /// The provider's metadata and keys, when they were read.
    discovered: Mutex<Option<(Instant, Client)>>,
}

/// Why a sign-in failed, for the server's log; the page is told only which [`SignInFailure`] it was.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the issuer URL {0:?} is not a URL")]
    Issuer(String),
    #[error("reading the provider's metadata and keys: {0}")]
    Discovery(String),
    #[error("the provider answered the sign-in with {0:?}")]
    Declined(String),
    #[error("exchanging the code for tokens: {0}")]
    Exchange(String),
    #[error("the provider sent no ID token")]
    NoIdToken,
    #[error("the ID token: {0}")]
    IdToken(String),
}

impl OidcError {
    pub fn failure(&self) -> SignInFailure {
        match self {
            OidcError::Issuer(_) | OidcError::Discovery(_) => SignInFailure::Unreachable,
            OidcError::Declined(_) => SignInFailure::Declined,
            OidcError::Exchange(_) | OidcError::NoIdToken | OidcError::IdToken(_) => SignInFailure::Unverified,
        }
    }
}

/// What the callback of a begun sign-in needs, kept in the store under its `state`.
#[derive(Serialize, Deserialize)]
pub struct Begun {
    nonce: String,
    verifier: String,
    /// The hash of the binding cookie handed to the browser that began it.
    pub binding: String,
}

impl Oidc {
    /// The client whose callback is `callback` (an absolute URL: the provider sends browsers there).
    pub fn new(config: OidcConfig, callback: &str, http: reqwest::Client) -> Result<Oidc, url::ParseError> {
        let redirect = RedirectUrl::new(callback.to_owned())?;
        Ok(Oidc { config, redirect, http, discovered: Mutex::new(None) })
    }

    /// The client, from the provider's metadata as read in the last hour (read again now if not).
    async fn client(&self) -> Result<Client, OidcError> {
        let mut discovered = self.discovered.lock().await;
        if let Some((read, client)) = discovered.as_ref() {
            if read.elapsed() < METADATA_LIFETIME {
                return Ok(client.clone());
            }
        }
        let issuer =
            IssuerUrl::new(self.config.issuer.clone()).map_err(|_| OidcError::Issuer(self.config.issuer.clone()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|error| OidcError::Discovery(error_chain(&error)))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone());
        *discovered = Some((Instant::now(), client.clone()));
        Ok(client)
    }

    /// Begins a sign-in for the browser holding the binding cookie whose hash is `binding`: where to send it, the
    /// `state` to keep what the callback needs under, and that.
    pub async fn begin(&self, binding: String) -> Result<(url::Url, String, Begun), OidcError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge)
            .url();
        let begun = Begun { nonce: nonce.secret().clone(), verifier: verifier.secret().clone(), binding };
        Ok((url, state.secret().clone(), begun))
    }

    /// Finishes the sign-in `begun` with the `code` the provider sent back: the name of the person it signed in.
    pub async fn finish(&self, begun: Begun, code: String) -> Result<String, OidcError> {
        let client = self.client().await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|error| OidcError::Exchange(error.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(begun.verifier))
            .request_async(&self.http)
            .await
            .map_err(|error| OidcError::Exchange(error_chain(&error)))?;
        let id_token = tokens.id_token().ok_or(OidcError::NoIdToken)?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(begun.nonce))
            .map_err(|error| OidcError::IdToken(error.to_string()))?;
        // The access token must be the one the ID token was issued with, when the ID token says which.
        if let Some(expected) = claims.access_token_hash() {
            let algorithm = id_token.signing_alg().map_err(|error| OidcError::IdToken(error.to_string()))?;
            let key = id_token.signing_key(&verifier).map_err(|error| OidcError::IdToken(error.to_string()))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), algorithm, key)
                .map_err(|error| OidcError::IdToken(error.to_string()))?;
            if actual != *expected {
                return Err(OidcError::IdToken("it was issued with another access token".into()));
            }
        }
        Ok(name_of(claims))
    }
}

/// What the studio calls the person: a verified e-mail address, else the provider's id for them.
fn name_of(claims: &CoreIdTokenClaims) -> String {
    match (claims.email(), claims.email_verified()) {
        (Some(email), Some(true)) => email.as_str().to_owned(),
        _ => claims.subject().as_str().to_owned(),
    }
}

/// An error with its causes, for the log (the library's errors say little at the top).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut said = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        said.push_str(": ");
        said.push_str(&error.to_string());
        cause = error.source();
    }
    said
}

/// The cookie that binds a begun OpenID sign-in to the browser that began it. `Lax`: the provider sends the browser
/// back from another site, with which a `Strict` cookie would not come.
const BINDING_COOKIE: &str = "zonos_sign_in";

/// Where the sign-in routes send the browser back to: the studio's page (`../../../` from under `/api/access/oidc/`,
/// whatever path the studio is served under), told why a sign-in failed, if it did.
fn back_to_the_page(failure: Option<SignInFailure>, cookies: &[HeaderValue]) -> Response {
    let fragment = failure.map_or(String::new(), |failure| format!("{SIGN_IN_FAILED_FRAGMENT}{}", failure.name()));
    let location = HeaderValue::from_str(&format!("../../../{fragment}")).expect("a failure's name is a word");
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Begins signing in with the OpenID provider: keeps the flow's secrets for its callback (on any replica), binds
/// them to this browser, and sends it to the provider. Rate-limited per client: each keeps a record a while.
pub(super) async fn begin_sign_in(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, AccessError> {
    let oidc = access.oidc.as_ref().expect("routed with a provider only");
    let client = limit_key(access.trusted_proxies.client(peer.ip(), &headers));
    counted(&access, &[(format!("sign-in:{client}"), ATTEMPTS_PER_CLIENT)]).await?;
    let binding = sessions::new_token();
    let (url, state, begun) = match oidc.begin(sessions::token_hash(&binding)).await {
        Ok(begun) => begun,
        Err(error) => {
            tracing::warn!(%error, "access: an OpenID sign-in could not begin");
            return Ok(back_to_the_page(Some(error.failure()), &[]));
        }
    };
    let record = serde_json::to_string(&begun).expect("a sign-in serializes");
    access.store.put_sign_in(&state, &record, SIGN_IN_LIFETIME).await?;
    let lifetime = SIGN_IN_LIFETIME.as_secs();
    let cookie = sessions::set_cookie(BINDING_COOKIE, "Lax", Some(&binding), lifetime, access.secure);
    let location = HeaderValue::from_str(url.as_str()).expect("a URL is a header value");
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location), (header::SET_COOKIE, cookie)]).into_response())
}

#[derive(Deserialize)]
pub(super) struct ProviderAnswer {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// Where the provider sends the browser back: the sign-in begun in this browser is finished (once), and the page
/// is signed in; or told, in a word, why not.
pub(super) async fn finish_sign_in(
    State(access): State<Access>,
    Query(answer): Query<ProviderAnswer>,
    headers: HeaderMap,
) -> Response {
    let unbound = sessions::set_cookie(BINDING_COOKIE, "Lax", None, 0, access.secure);
    match signed_in_by_provider(&access, answer, &headers).await {
        Ok(session) => back_to_the_page(None, &[session, unbound]),
        Err(failure) => back_to_the_page(Some(failure), &[unbound]),
    }
}

async fn signed_in_by_provider(
    access: &Access,
    answer: ProviderAnswer,
    headers: &HeaderMap,
) -> Result<HeaderValue, SignInFailure> {
    let oidc = access.oidc.as_ref().expect("routed with a provider only");
    let unreachable = |error: StoreError| {
        tracing::warn!(%error, "access: the store failed");
        SignInFailure::Unreachable
    };
    // Taken before anything else is checked: a state is good for one callback, whatever it brings.
    let begun = access.store.take_sign_in(answer.state.as_deref().unwrap_or_default()).await.map_err(unreachable)?;
    let begun: Begun = begun.and_then(|begun| serde_json::from_str(&begun).ok()).ok_or(SignInFailure::NotBegunHere)?;
    let binding = sessions::cookie_of(headers, BINDING_COOKIE).map(sessions::token_hash);
    if binding.as_deref() != Some(begun.binding.as_str()) {
        return Err(SignInFailure::NotBegunHere);
    }
    let finished = match (answer.code, answer.error) {
        (Some(code), None) => oidc.finish(begun, code).await,
        (_, error) => Err(OidcError::Declined(error.unwrap_or_default())),
    };
    let name = finished.map_err(|error| {
        tracing::warn!(%error, "access: an OpenID sign-in failed");
        error.failure()
    })?;
    if name.len() > LONGEST_NAME {
        return Err(SignInFailure::Unverified);
    }
    let person = access.grants.person(&name);
    let cookie = open_session(access, headers, &person, &format!("oidc:{name}"), SESSIONS_PER_CODE).await;
    tracing::info!(name = %person.name, "access: signed in by the OpenID provider");
    cookie.map_err(|error| match error {
        AccessError::Store(error) => unreachable(error),
        _ => SignInFailure::Unreachable,
    })
}
