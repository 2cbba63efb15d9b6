//! Content Credentials (C2PA) on every take the proxy serves: a manifest, signed by the proxy, saying the audio was
//! made by a trained model (IPTC's `trainedAlgorithmicMedia`), by which model, for which request, with which
//! settings, and when. The manifest's hash binds it to the file's bytes: a changed sample breaks it. The signing
//! key and its certificate are given (`--c2pa-cert`, `--c2pa-key`), or made in the data directory on first run:
//! a certificate issued by a CA of the proxy's own, which readers report as valid but untrusted.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use c2pa::{Builder, Context, SigningAlg};
use serde_json::{json, Value};

/// The model that made every take, as the manifest names it.
pub const MODEL: &str = "Zyphra Zonos 2";
/// IPTC's term for media a trained model made, as C2PA asks generative AI output to be labelled.
pub const TRAINED_ALGORITHMIC_MEDIA: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
/// The file made on first run, in the data directory: the signing key, then its certificate chain. One file, made
/// whole or not at all, so that replicas starting together on one machine agree on one key.
const MADE: &str = "c2pa-signing.pem";
const KEY_END: &str = "-----END PRIVATE KEY-----";

/// Where the signing key and its certificate chain come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsConfig {
    /// PEM files given by the operator: the certificate chain (signer first) and its PKCS#8 private key.
    Given { certificate: PathBuf, key: PathBuf },
    /// Made in this directory on first run, and used from there afterwards.
    MadeIn(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("the C2PA file {path}: {source}")]
    File { path: PathBuf, source: std::io::Error },
    #[error("the C2PA certificate could not be made: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("C2PA: {0}")]
    C2pa(#[from] c2pa::Error),
}

/// What a served take's manifest says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    pub request_id: String,
    /// The request's settings as validated (the contract's fields; never the key, which is not one of them).
    pub settings: Option<Value>,
    /// When it was served, RFC 3339.
    pub when: String,
}

/// The proxy's signer.
pub struct Credentials {
    signer: c2pa::BoxedSigner,
}

fn read(path: &Path) -> Result<Vec<u8>, CredentialsError> {
    std::fs::read(path).map_err(|source| CredentialsError::File { path: path.to_owned(), source })
}

/// A CA and, issued by it, a certificate that C2PA accepts for signing (not a CA, an authority key identifier,
/// digital signatures, an extended key use, an organisation): the chain's PEM and the signer's PKCS#8 key's.
fn make_chain() -> Result<(String, String), rcgen::Error> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    ca.distinguished_name.push(DnType::CommonName, "Zonos Studio proxy CA (self-issued)");
    ca.distinguished_name.push(DnType::OrganizationName, "Zonos Studio");
    let ca_key = KeyPair::generate()?;
    let ca_certificate = ca.self_signed(&ca_key)?;
    let issuer = rcgen::Issuer::new(ca, ca_key);

    let mut signer = CertificateParams::default();
    signer.distinguished_name.push(DnType::CommonName, "Zonos Studio proxy");
    signer.distinguished_name.push(DnType::OrganizationName, "Zonos Studio");
    signer.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    signer.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
    signer.use_authority_key_identifier_extension = true;
    let signer_key = KeyPair::generate()?;
    let signer_certificate = signer.signed_by(&signer_key, &issuer)?;
    Ok((format!("{}{}", signer_certificate.pem(), ca_certificate.pem()), signer_key.serialize_pem()))
}

/// The key and chain made in `dir`, made now if they are not there yet: written to a file of this process's own,
/// then linked into place unless another process did so first (then its file is used).
fn made_in(dir: &Path) -> Result<(Vec<u8>, Vec<u8>), CredentialsError> {
    use std::io::Write;
    let path = dir.join(MADE);
    let failed = |path: &Path| {
        let path = path.to_owned();
        move |source| CredentialsError::File { path, source }
    };
    if !path.exists() {
        std::fs::create_dir_all(dir).map_err(failed(dir))?;
        let (chain, key) = make_chain()?;
        let partial = dir.join(format!(".{MADE}.partial-{}", uuid::Uuid::new_v4().simple()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&partial).map_err(failed(&partial))?;
        file.write_all(format!("{key}{chain}").as_bytes()).and_then(|()| file.sync_all()).map_err(failed(&partial))?;
        // Linked, not renamed: a file another process put there first is kept (and used), never replaced.
        let linked = match std::fs::hard_link(&partial, &path) {
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            // A file system without hard links: renamed, unless one is there by now.
            Err(_) if !path.exists() => std::fs::rename(&partial, &path).map(|()| true),
            linked => linked.map(|()| true),
        };
        let _ = std::fs::remove_file(&partial);
        if linked.map_err(failed(&path))? {
            tracing::info!(file = %path.display(), "made a self-issued C2PA signing certificate");
        }
    }
    let made = read(&path)?;
    let text = String::from_utf8_lossy(&made);
    let end = text.find(KEY_END).map(|at| at + KEY_END.len()).ok_or_else(|| CredentialsError::File {
        path: path.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "no private key in it"),
    })?;
    Ok((text[end..].trim_start().as_bytes().to_vec(), text[..end].as_bytes().to_vec()))
}

impl Credentials {
    /// The given files, or those made in the directory (made now if they are not there yet).
    pub fn load(config: &CredentialsConfig) -> Result<Credentials, CredentialsError> {
        let (certificate, key) = match config {
            CredentialsConfig::Given { certificate, key } => (read(certificate)?, read(key)?),
            CredentialsConfig::MadeIn(dir) => made_in(dir)?,
        };
        // No timestamp authority: signing never leaves the machine.
        let signer = c2pa::create_signer::from_keys(&certificate, &key, SigningAlg::Es256, None)?;
        Ok(Credentials { signer })
    }

    /// `wav` with a signed manifest saying what made it; its audio bytes as they were.
    pub fn sign(&self, wav: &[u8], made: &Made) -> Result<Vec<u8>, CredentialsError> {
        let mut parameters = json!({ "model": MODEL, "request_id": made.request_id });
        if let Some(settings) = &made.settings {
            parameters["settings"] = settings.clone();
        }
        let definition = json!({
            "title": format!("{} ({})", studio_core::provenance::TITLE, made.request_id),
            "claim_generator_info": [{ "name": studio_core::provenance::SOFTWARE, "version": env!("CARGO_PKG_VERSION") }],
            "assertions": [{
                "label": "c2pa.actions",
                "data": { "actions": [{
                    "action": "c2pa.created",
                    "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                    "softwareAgent": { "name": MODEL },
                    "when": made.when,
                    "description": studio_core::provenance::TITLE,
                    "parameters": parameters,
                }]},
            }],
        });
        let mut builder = Builder::from_context(Context::new()).with_definition(definition.to_string())?;
        let mut signed = Cursor::new(Vec::with_capacity(wav.len() + 32 * 1024));
        builder.sign(self.signer.as_ref(), "audio/wav", &mut Cursor::new(wav), &mut signed)?;
        Ok(signed.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use studio_core::provenance;

    fn wav() -> Vec<u8> {
        let samples: Vec<f32> = (0..4410).map(|i| (i as f32 * 0.05).sin() * 0.5).collect();
        studio_core::wav::encode(&samples, 44_100)
    }

    fn made() -> Made {
        Made {
            request_id: "zonos-2_019d0000-0000-7000-8000-000000000001".to_owned(),
            settings: Some(json!({ "seed": 7, "temperature": 0.8 })),
            when: "2026-11-30T12:00:00Z".to_owned(),
        }
    }

    #[test]
    fn made_on_first_run_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let config = CredentialsConfig::MadeIn(dir.path().join("state"));
        Credentials::load(&config).unwrap();
        let made = std::fs::read_to_string(dir.path().join("state").join(MADE)).unwrap();
        assert_eq!(made.matches("BEGIN PRIVATE KEY").count(), 1);
        assert_eq!(made.matches("BEGIN CERTIFICATE").count(), 2, "the signer's certificate, then its CA's");
        Credentials::load(&config).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("state").join(MADE)).unwrap(), made);
        let files: Vec<_> = std::fs::read_dir(dir.path().join("state")).unwrap().collect();
        assert_eq!(files.len(), 1, "no partial file left: {files:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("state").join(MADE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key is its owner's alone");
        }
    }

    #[test]
    fn replicas_starting_together_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let making: Vec<_> = (0..4)
            .map(|_| {
                let dir = dir.path().to_owned();
                std::thread::spawn(move || made_in(&dir).unwrap())
            })
            .collect();
        let made: Vec<_> = making.into_iter().map(|making| making.join().unwrap()).collect();
        assert!(made.iter().all(|each| *each == made[0]), "one key and one chain for all");
        let (chain, key) = made[0].clone();
        let signer = c2pa::create_signer::from_keys(&chain, &key, SigningAlg::Es256, None);
        assert!(signer.is_ok(), "the key matches its certificate");
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1, "{files:?}");
    }

    #[test]
    fn a_signed_take_keeps_its_audio_and_reads_back_as_made_by_a_model() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = Credentials::load(&CredentialsConfig::MadeIn(dir.path().to_owned())).unwrap();
        let original = wav();
        let signed = credentials.sign(&original, &made()).unwrap();
        assert_eq!(provenance::audio_bytes(&signed), provenance::audio_bytes(&original));

        let reader =
            c2pa::Reader::from_context(Context::new()).with_stream("audio/wav", Cursor::new(signed.clone())).unwrap();
        let report: Value = serde_json::from_str(&reader.json()).unwrap();
        let manifest = &report["manifests"][report["active_manifest"].as_str().unwrap()];
        let actions = manifest["assertions"].as_array().unwrap().iter().find(|a| a["label"] == "c2pa.actions.v2");
        let created = &actions.expect("an actions assertion")["data"]["actions"][0];
        assert_eq!(created["action"], "c2pa.created");
        assert_eq!(created["digitalSourceType"], TRAINED_ALGORITHMIC_MEDIA);
        assert_eq!(created["parameters"]["request_id"], made().request_id);
        assert_eq!(created["parameters"]["settings"]["seed"], 7);
        let success = report["validation_results"]["activeManifest"]["success"].to_string();
        assert!(success.contains("assertion.dataHash.match"), "{success}");

        // One changed sample, and the hash no longer matches.
        let mut tampered = signed;
        let last = tampered.len() - 1;
        let audio_end = provenance::audio_bytes(&tampered).unwrap().as_ptr() as usize - tampered.as_ptr() as usize + 8;
        tampered[audio_end.min(last)] ^= 0x55;
        let reader =
            c2pa::Reader::from_context(Context::new()).with_stream("audio/wav", Cursor::new(tampered)).unwrap();
        let report: Value = serde_json::from_str(&reader.json()).unwrap();
        let failure = report["validation_results"]["activeManifest"]["failure"].to_string();
        assert!(failure.contains("assertion.dataHash.mismatch"), "{failure}");
    }

    #[test]
    fn given_files_sign() {
        let dir = tempfile::tempdir().unwrap();
        let (chain, key) = make_chain().unwrap();
        let (certificate, key_file) = (dir.path().join("chain.pem"), dir.path().join("key.pem"));
        std::fs::write(&certificate, chain).unwrap();
        std::fs::write(&key_file, key).unwrap();
        let credentials = Credentials::load(&CredentialsConfig::Given { certificate, key: key_file }).unwrap();
        assert!(credentials.sign(&wav(), &made()).unwrap().len() > wav().len());
    }

    #[test]
    fn given_files_that_are_not_there_are_named() {
        let missing = PathBuf::from("/nonexistent/c2pa.pem");
        let config = CredentialsConfig::Given { certificate: missing.clone(), key: missing.clone() };
        match Credentials::load(&config) {
            Err(CredentialsError::File { path, .. }) => assert_eq!(path, missing),
            other => panic!("expected the missing file named, got {:?}", other.err()),
        }
    }
}
