//! What every WAV the studio hands out says of itself: a RIFF `LIST/INFO` chunk naming it AI-generated speech, the
//! software, the model, the request ids and the date. Added without touching a byte of the audio: the `data` chunk
//! is copied as it came. The app marks what it joins; the proxy marks what it serves.

use zonos_api::MODEL_ID;

/// The software that marks the file.
pub const SOFTWARE: &str = "Zonos Studio";
/// What the file is, in its title.
pub const TITLE: &str = "AI-generated speech";

/// Where a file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The gateway's request ids of the audio in the file (several for a joined script).
    pub request_ids: Vec<String>,
    /// The day it was made, `YYYY-MM-DD` (UTC).
    pub date: String,
}

impl Provenance {
    /// The INFO fields, in the order they are written.
    pub fn fields(&self) -> [(&'static [u8; 4], String); 4] {
        [
            (b"INAM", TITLE.to_owned()),
            (b"ISFT", SOFTWARE.to_owned()),
            (
                b"ICMT",
                format!(
                    "AI-generated speech: a synthetic voice made by Zyphra's Zonos 2 (model {MODEL_ID}), not a \
                     recording of a person. Request id: {}.",
                    self.request_ids.join(", ")
                ),
            ),
            (b"ICRD", self.date.clone()),
        ]
    }
}

/// A chunk: its id, its size, its body, and the pad byte an odd size needs.
fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut chunk = Vec::with_capacity(9 + body.len());
    chunk.extend_from_slice(id);
    chunk.extend_from_slice(&(body.len() as u32).to_le_bytes());
    chunk.extend_from_slice(body);
    if body.len() % 2 == 1 {
        chunk.push(0);
    }
    chunk
}

/// What a blind round's two clips say of themselves, the same for both: neither gives the real voice away.
pub const BLIND_TITLE: &str = "One of A and B is AI-generated speech";

fn blind_fields() -> [(&'static [u8; 4], String); 3] {
    [
        (b"INAM", BLIND_TITLE.to_owned()),
        (b"ISFT", SOFTWARE.to_owned()),
        (
            b"ICMT",
            format!(
                "A blind round: one of A and B is AI-generated speech made by Zyphra's Zonos 2 (model {MODEL_ID}), \
                 the other a recording of the voice it clones."
            ),
        ),
    ]
}

/// A `LIST/INFO` chunk of `fields`.
fn info_chunk(fields: &[(&'static [u8; 4], String)]) -> Vec<u8> {
    let mut body = b"INFO".to_vec();
    for (id, text) in fields {
        let mut value = text.clone().into_bytes();
        value.push(0);
        body.extend(chunk(id, &value));
    }
    chunk(b"LIST", &body)
}

/// Whether a `LIST` chunk's body is an INFO list.
fn is_info(id: &[u8], body: &[u8]) -> bool {
    id == b"LIST" && body.get(..4) == Some(b"INFO")
}

/// `wav` with `provenance`'s INFO chunk at its end, in place of any it had; every other chunk, the audio first
/// of all, byte for byte as it was. `None` if `wav` is not a RIFF/WAVE file.
pub fn mark(wav: &[u8], provenance: &Provenance) -> Option<Vec<u8>> {
    marked_with(wav, &provenance.fields())
}

/// A blind round's clip `wav`, marked as [`mark`] does with the words both clips carry ([`BLIND_TITLE`]).
pub fn mark_blind(wav: &[u8]) -> Option<Vec<u8>> {
    marked_with(wav, &blind_fields())
}

fn marked_with(wav: &[u8], fields: &[(&'static [u8; 4], String)]) -> Option<Vec<u8>> {
    let mut body = b"WAVE".to_vec();
    for (id, content) in crate::wav::chunks(wav)?.into_iter().filter(|(id, content)| !is_info(id, content)) {
        body.extend(chunk(id.try_into().ok()?, content));
    }
    body.extend(info_chunk(fields));
    let mut marked = b"RIFF".to_vec();
    marked.extend_from_slice(&(body.len() as u32).to_le_bytes());
    marked.extend(body);
    Some(marked)
}

/// The INFO fields of `wav`, as (id, text); empty when it has none.
pub fn read_info(wav: &[u8]) -> Vec<(String, String)> {
    let Some(chunks) = crate::wav::chunks(wav) else { return Vec::new() };
    let Some((_, list)) = chunks.into_iter().find(|(id, body)| is_info(id, body)) else { return Vec::new() };
    let mut fields = Vec::new();
    let mut at = 4;
    while at + 8 <= list.len() {
        let id = String::from_utf8_lossy(&list[at..at + 4]).into_owned();
        let size = u32::from_le_bytes([list[at + 4], list[at + 5], list[at + 6], list[at + 7]]) as usize;
        let end = (at + 8 + size).min(list.len());
        let text = String::from_utf8_lossy(&list[at + 8..end]).trim_end_matches('\0').to_owned();
        fields.push((id, text));
        at = end + size % 2;
    }
    fields
}

/// The audio of `wav`: its `data` chunk's bytes.
pub fn audio_bytes(wav: &[u8]) -> Option<&[u8]> {
    crate::wav::chunks(wav)?.into_iter().find(|(id, _)| *id == b"data").map(|(_, body)| body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav;

    fn provenance() -> Provenance {
        Provenance { request_ids: vec!["zonos-2_01a2".to_owned()], date: "2026-11-30".to_owned() }
    }

    fn field<'a>(fields: &'a [(String, String)], id: &str) -> &'a str {
        fields.iter().find(|(found, _)| found == id).map(|(_, text)| text.as_str()).unwrap_or_default()
    }

    #[test]
    fn a_marked_file_says_what_it_is_and_keeps_its_audio_byte_for_byte() {
        let original = wav::encode(&[0.0, 0.25, -0.5, 1.0, -1.0], 24_000);
        let marked = mark(&original, &provenance()).unwrap();
        assert_eq!(audio_bytes(&marked), audio_bytes(&original));
        assert_eq!(wav::read(&marked), wav::read(&original));
        let fields = read_info(&marked);
        assert_eq!(field(&fields, "INAM"), "AI-generated speech");
        assert_eq!(field(&fields, "ISFT"), "Zonos Studio");
        assert!(field(&fields, "ICMT").contains("model zonos-2"), "{fields:?}");
        assert!(field(&fields, "ICMT").contains("zonos-2_01a2"), "{fields:?}");
        assert_eq!(field(&fields, "ICRD"), "2026-11-30");
        // The RIFF size is the file's, less its first eight bytes.
        assert_eq!(u32::from_le_bytes(marked[4..8].try_into().unwrap()) as usize, marked.len() - 8);
        assert!(read_info(&original).is_empty());
    }

    #[test]
    fn both_clips_of_a_blind_round_say_the_same_and_keep_their_audio() {
        let (real, clone) = (wav::encode(&[0.5, -0.25], 24_000), wav::encode(&[0.25, 0.5], 24_000));
        let (real, clone) = (mark_blind(&real).unwrap(), mark_blind(&clone).unwrap());
        assert_eq!(read_info(&real), read_info(&clone));
        assert_eq!(read_info(&real)[0], ("INAM".to_owned(), BLIND_TITLE.to_owned()));
        assert!(!read_info(&real).iter().any(|(id, _)| id == "ICRD"), "no date, no request id");
        assert_eq!(audio_bytes(&real), audio_bytes(&wav::encode(&[0.5, -0.25], 24_000)));
    }

    #[test]
    fn marking_again_replaces_the_mark() {
        let original = wav::encode(&[0.5; 7], 8_000);
        let once = mark(&original, &provenance()).unwrap();
        let later = Provenance { request_ids: vec!["a".into(), "b".into()], date: "2027-01-02".into() };
        let twice = mark(&once, &later).unwrap();
        let fields = read_info(&twice);
        assert_eq!(fields.len(), 4);
        assert_eq!(field(&fields, "ICRD"), "2027-01-02");
        assert!(field(&fields, "ICMT").contains("Request id: a, b."));
        assert_eq!(audio_bytes(&twice), audio_bytes(&original));
    }

    #[test]
    fn odd_chunks_keep_their_padding_and_a_streamed_size_ends_with_the_file() {
        // A WAV as written to a pipe: its sizes unknown (0xFFFFFFFF), with an odd-sized chunk before the audio.
        let mut streamed = b"RIFF\xff\xff\xff\xffWAVE".to_vec();
        streamed.extend(chunk(b"fmt ", &wav::encode(&[], 16_000)[20..36]));
        streamed.extend(chunk(b"junk", b"odd"));
        streamed.extend_from_slice(b"data\xff\xff\xff\xff");
        streamed.extend_from_slice(&[1, 0, 2, 0, 3, 0]);
        let marked = mark(&streamed, &provenance()).unwrap();
        assert_eq!(audio_bytes(&marked), Some(&[1, 0, 2, 0, 3, 0][..]));
        assert_eq!(wav::read(&marked).map(|(samples, rate)| (samples.len(), rate)), Some((3, 16_000)));
        assert_eq!(read_info(&marked).len(), 4);
    }

    #[test]
    fn audio_of_size_zero_runs_to_the_end() {
        let mut streamed = wav::encode(&[0.25, -0.25, 0.5], 16_000);
        streamed[40..44].copy_from_slice(&0u32.to_le_bytes());
        let marked = mark(&streamed, &provenance()).unwrap();
        assert_eq!(audio_bytes(&marked), Some(&streamed[44..]));
        assert_eq!(read_info(&marked).len(), 4);
    }

    #[test]
    fn only_wav_is_marked() {
        assert_eq!(mark(b"ID3\x04 an mp3", &provenance()), None);
        assert_eq!(mark(b"RIFF", &provenance()), None);
    }
}
