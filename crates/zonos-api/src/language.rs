use serde::{Deserialize, Serialize};

/// The text-normalization languages the docs allow, serialized exactly as the docs write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "en_us")]
    EnUs,
    #[serde(rename = "en_gb")]
    EnGb,
    #[serde(rename = "fr_fr")]
    FrFr,
    #[serde(rename = "de")]
    De,
    #[serde(rename = "es")]
    Es,
    #[serde(rename = "it")]
    It,
    #[serde(rename = "pt_br")]
    PtBr,
    #[serde(rename = "ja")]
    Ja,
    #[serde(rename = "cmn")]
    Cmn,
    #[serde(rename = "ko")]
    Ko,
}

impl Language {
    /// Every allowed language, in the order the docs list them.
    pub const ALL: [Language; 10] = [
        Language::EnUs,
        Language::EnGb,
        Language::FrFr,
        Language::De,
        Language::Es,
        Language::It,
        Language::PtBr,
        Language::Ja,
        Language::Cmn,
        Language::Ko,
    ];

    /// The code on the wire, as the docs write it.
    pub fn code(self) -> &'static str {
        match self {
            Language::EnUs => "en_us",
            Language::EnGb => "en_gb",
            Language::FrFr => "fr_fr",
            Language::De => "de",
            Language::Es => "es",
            Language::It => "it",
            Language::PtBr => "pt_br",
            Language::Ja => "ja",
            Language::Cmn => "cmn",
            Language::Ko => "ko",
        }
    }

    /// A name a person recognises.
    pub fn name(self) -> &'static str {
        match self {
            Language::EnUs => "English (US)",
            Language::EnGb => "English (UK)",
            Language::FrFr => "French",
            Language::De => "German",
            Language::Es => "Spanish",
            Language::It => "Italian",
            Language::PtBr => "Portuguese (Brazil)",
            Language::Ja => "Japanese",
            Language::Cmn => "Mandarin Chinese",
            Language::Ko => "Korean",
        }
    }

    /// The language with this wire code, if it is one the docs allow.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_every_code_exactly_as_documented() {
        let documented = ["en_us", "en_gb", "fr_fr", "de", "es", "it", "pt_br", "ja", "cmn", "ko"];
        let serialized: Vec<String> = Language::ALL
            .iter()
            .map(|language| serde_json::to_value(language).unwrap().as_str().unwrap().to_owned())
            .collect();
        assert_eq!(serialized, documented);
        for code in documented {
            let parsed: Language = serde_json::from_value(code.into()).unwrap();
            assert_eq!(parsed.code(), code);
            assert_eq!(Language::from_code(code), Some(parsed));
        }
    }

    #[test]
    fn unknown_codes_are_refused() {
        assert_eq!(Language::from_code("en-US"), None);
        assert!(serde_json::from_value::<Language>("xx".into()).is_err());
    }

    #[test]
    fn the_default_is_the_documented_one() {
        assert_eq!(Language::default().code(), "en_us");
    }
}
