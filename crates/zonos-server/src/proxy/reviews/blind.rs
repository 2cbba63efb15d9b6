//! A blind round in a review ("Real or clone?"): the take and its voice's reference, cut to the same seconds,
//! brought to one rate and one loudness, as A and B in an order drawn here and kept from the listeners until they
//! have guessed. The reference comes only from this proxy (a voice uploaded or recorded here, or a sample it
//! offers) and only for the take's own voice, so a review serves no audio from elsewhere; both clips say the same
//! of themselves ("One of A and B is AI-generated speech"), so their files give nothing away.

use std::sync::Arc;

use serde_json::Value;
use studio_core::blind::{match_pair, resampled, Side};
use studio_core::{provenance, wav};
use zonos_api::{ReviewItem, REFERENCES_PATH};

use crate::proxy::error::ProxyError;
use crate::proxy::media::{allowed_url, whole_audio};
use crate::proxy::voice::{voice_hash, SAMPLE_VOICE, VOICE_HASH};
use crate::proxy::{Proxy, API_PREFIX};

/// A blind round made: the side the real voice plays on, and the clips of A and B (WAV files, marked alike).
pub struct BlindRound {
    pub real: Side,
    pub clips: [Vec<u8>; 2],
}

/// The round of `item` (its take's audio `take`, issued with `settings`) against `reference_url`.
pub async fn blind_round(
    proxy: &Arc<Proxy>,
    item: &ReviewItem,
    reference_url: &str,
    settings: &Value,
    take: Vec<u8>,
) -> Result<BlindRound, ProxyError> {
    let refused = || ProxyError::NoReference(item.label.clone());
    let reference = reference_bytes(proxy, reference_url, settings).await?.ok_or_else(refused)?;
    // Decoding and matching take a few milliseconds a second of audio: kept off the server's threads.
    let matched = tokio::task::spawn_blocking(move || matched(reference, &take)).await;
    matched.ok().flatten().ok_or_else(refused)
}

/// The reference's bytes, if it is the take's own voice and this proxy's: the sample voice the take was issued
/// with (fetched from its media host, as a result is), or a reference in the store whose address the take's voice
/// hash names.
async fn reference_bytes(proxy: &Proxy, url: &str, settings: &Value) -> Result<Option<Vec<u8>>, ProxyError> {
    if let Some(sample) = settings.get(SAMPLE_VOICE).and_then(Value::as_str) {
        let Some(voice) = proxy.config.voices.iter().find(|voice| voice.name == sample) else { return Ok(None) };
        let Ok(parsed) = allowed_url(&voice.url, &proxy.config.media_hosts) else { return Ok(None) };
        return whole_audio(proxy, parsed).await.map(Some);
    }
    if settings.get(VOICE_HASH).and_then(Value::as_str) != Some(voice_hash(url).as_str()) {
        return Ok(None);
    }
    let stored = format!("{API_PREFIX}{REFERENCES_PATH}/");
    let Some(name) = url.split_once(&stored).map(|(_, name)| name) else { return Ok(None) };
    Ok(proxy.store.reference(name).await?.map(|(bytes, _)| bytes.to_vec()))
}

/// A reference in any of the documented formats, decoded to mono samples and their rate.
fn decoded(bytes: Vec<u8>) -> Option<(Vec<f32>, u32)> {
    #[cfg(feature = "sandbox")]
    {
        let reference = zonos_sandbox::reference::decode(bytes).ok()?;
        Some((reference.samples, reference.sample_rate))
    }
    // A build without the sandbox has no MP3 or AAC decoder: a WAV reference (as recorded here) still plays.
    #[cfg(not(feature = "sandbox"))]
    wav::read(&bytes)
}

/// The round's clips, the real side drawn at random; none if either is not audio or is silent.
fn matched(reference: Vec<u8>, take: &[u8]) -> Option<BlindRound> {
    let (take, rate) = wav::read(take)?;
    let (reference, reference_rate) = decoded(reference)?;
    let (reference, take) = match_pair(&resampled(&reference, reference_rate, rate), &take, rate)?;
    let real = if uuid::Uuid::new_v4().as_bytes()[0] & 1 == 0 { Side::A } else { Side::B };
    let clip = |samples: &[f32]| provenance::mark_blind(&wav::encode(samples, rate));
    let (reference, take) = (clip(&reference)?, clip(&take)?);
    let clips = match real {
        Side::A => [reference, take],
        Side::B => [take, reference],
    };
    Some(BlindRound { real, clips })
}
