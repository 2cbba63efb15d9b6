//! The reference audio formats the docs name (MP3, OGG, WAV, M4A, AAC), recognised by content, as the browser
//! checks a file before uploading it and the proxy checks it again on arrival.

/// A documented audio format, recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    Wav,
    Mp3,
    Ogg,
    M4a,
    Aac,
}

impl AudioFormat {
    pub const ALL: [AudioFormat; 5] =
        [AudioFormat::Wav, AudioFormat::Mp3, AudioFormat::Ogg, AudioFormat::M4a, AudioFormat::Aac];

    /// The format whose file extension is `extension` (as [`AudioFormat::extension`] writes it).
    pub fn from_extension(extension: &str) -> Option<AudioFormat> {
        AudioFormat::ALL.into_iter().find(|format| format.extension() == extension)
    }

    pub fn sniff(bytes: &[u8]) -> Option<AudioFormat> {
        match bytes {
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'A', b'V', b'E', ..] => Some(AudioFormat::Wav),
            [b'O', b'g', b'g', b'S', ..] => Some(AudioFormat::Ogg),
            [_, _, _, _, b'f', b't', b'y', b'p', ..] => Some(AudioFormat::M4a),
            [b'I', b'D', b'3', ..] => Some(AudioFormat::Mp3),
            // Both start with a frame sync; ADTS (AAC) has layer bits 00, MPEG audio (MP3) does not.
            [0xFF, second, ..] if second & 0xF6 == 0xF0 => Some(AudioFormat::Aac),
            [0xFF, second, ..] if second & 0xE0 == 0xE0 && second & 0x06 != 0 => Some(AudioFormat::Mp3),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Ogg => "ogg",
            AudioFormat::M4a => "m4a",
            AudioFormat::Aac => "aac",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::M4a => "audio/mp4",
            AudioFormat::Aac => "audio/aac",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_their_first_bytes() {
        let cases: [(&[u8], Option<AudioFormat>); 8] = [
            (b"RIFF\x24\0\0\0WAVEfmt ", Some(AudioFormat::Wav)),
            (b"OggS\0\x02", Some(AudioFormat::Ogg)),
            (b"\0\0\0\x20ftypM4A ", Some(AudioFormat::M4a)),
            (b"ID3\x04\0", Some(AudioFormat::Mp3)),
            (&[0xFF, 0xFB, 0x90, 0x64], Some(AudioFormat::Mp3)),
            (&[0xFF, 0xF1, 0x50, 0x80], Some(AudioFormat::Aac)),
            (b"RIFF\x24\0\0\0AVI LIST", None),
            (b"<!doctype html>", None),
        ];
        for (bytes, format) in cases {
            assert_eq!(AudioFormat::sniff(bytes), format, "{bytes:?}");
        }
    }

    #[test]
    fn each_format_is_found_by_its_extension() {
        for format in AudioFormat::ALL {
            assert_eq!(AudioFormat::from_extension(format.extension()), Some(format));
        }
        assert_eq!(AudioFormat::from_extension("flac"), None);
        assert_eq!(AudioFormat::from_extension("WAV"), None);
    }
}
