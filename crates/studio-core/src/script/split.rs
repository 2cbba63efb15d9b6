//! A long script cut into parts one request can carry, at sentence boundaries where it can be.

/// Roughly how many characters of speech fit in one request: Zonos emits about 86 frames a second and speech runs
/// about 14 characters a second; `max_tokens` (at most 6144 frames, some 70 seconds) bounds a request. Kept well
/// inside that, so that no part is cut short.
pub fn chars_per_part(max_tokens: Option<u32>) -> usize {
    let frames = max_tokens.unwrap_or(6144).min(6144) as usize;
    (frames / 86 * 14 * 2 / 3).max(40)
}

/// Where a sentence ends: after `.`, `!`, `?` (and their full-width forms) or a line break.
fn sentences(text: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, character)) = chars.next() {
        let ends = matches!(character, '.' | '!' | '?' | '。' | '！' | '？' | '\n');
        let next_is_space = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        if ends && next_is_space {
            let end = at + character.len_utf8();
            sentences.push(&text[start..end]);
            start = end;
        }
    }
    sentences.push(&text[start..]);
    sentences.into_iter().map(str::trim).filter(|sentence| !sentence.is_empty()).collect()
}

/// A sentence longer than a part, cut at the last space before the limit (or at the limit, with none).
fn cut(sentence: &str, max_chars: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = sentence.trim();
    while rest.chars().count() > max_chars {
        let limit = rest.char_indices().nth(max_chars).map_or(rest.len(), |(at, _)| at);
        let at = rest[..limit].rfind(char::is_whitespace).filter(|at| *at > 0).unwrap_or(limit);
        pieces.push(rest[..at].trim().to_owned());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

/// The parts of `text`, each at most `max_chars` long, whole sentences together as far as they fit.
pub fn split(text: &str, max_chars: usize) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for sentence in sentences(text).into_iter().flat_map(|sentence| cut(sentence, max_chars)) {
        match parts.last_mut() {
            Some(part) if part.chars().count() + 1 + sentence.chars().count() <= max_chars => {
                part.push(' ');
                part.push_str(&sentence);
            }
            _ => parts.push(sentence),
        }
    }
    parts
}
