//! `--access oidc`: people sign in at an OpenID Connect provider (Keycloak, Authentik, Entra ID, Google…) with the
//! authorization code flow and PKCE. Beginning keeps the flow's secrets in the store under its `state` (the provider
//! may send the browser back to another replica), bound to the browser that began it by a cookie; the callback
//! takes them once, exchanges the code, and verifies the ID token (its signature, issuer, audience, expiry and
//! nonce) before a session is opened, as for a code. A person is named by their verified e-mail address, else by
//! the provider's id for them (`sub`): never by a name they may choose themselves.

use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use zonos_api::SignInFailure;

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
