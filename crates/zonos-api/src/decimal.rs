use std::fmt;

/// A documented number, held exactly as the docs write it: `1.15` is 115 hundredths. Its text needs no float
/// formatting (whose code and tables would weigh on the browser app's first load, where every hint and range is
/// written), and its `f64` is the one a JSON parser reads from that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    units: i64,
    places: u32,
}

impl Decimal {
    /// `units` × 10^-`places`. At most 15 places and |`units`| ≤ 2^53: both are then exact in `f64`, so that
    /// [`Decimal::to_f64`] is correctly rounded.
    pub const fn new(units: i64, places: u32) -> Decimal {
        assert!(places <= 15, "at most 15 decimal places");
        assert!(units.unsigned_abs() <= 1 << 53, "at most 2^53 units");
        Decimal { units, places }
    }

    pub const fn whole(units: i64) -> Decimal {
        Decimal::new(units, 0)
    }

    /// The nearest `f64` (the one a JSON parser reads from the text): one correctly rounded IEEE division of two
    /// exact values.
    pub fn to_f64(self) -> f64 {
        self.units as f64 / 10_f64.powi(self.places as i32)
    }
}

/// As the docs write it: `2`, `1.15`, `0.01`.
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.units.unsigned_abs().to_string();
        let places = self.places as usize;
        let sign = if self.units < 0 { "-" } else { "" };
        if places == 0 {
            return write!(f, "{sign}{digits}");
        }
        let digits = format!("{digits:0>width$}", width = places + 1);
        let (whole, fraction) = digits.split_at(digits.len() - places);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_the_docs_write_them() {
        let written: Vec<String> = [
            Decimal::whole(0),
            Decimal::whole(2048),
            Decimal::new(115, 2),
            Decimal::new(18, 2),
            Decimal::new(1, 2),
            Decimal::new(-5, 1),
        ]
        .map(|decimal| decimal.to_string())
        .into();
        assert_eq!(written, ["0", "2048", "1.15", "0.18", "0.01", "-0.5"]);
    }

    #[test]
    fn their_value_is_what_a_json_parser_reads_from_their_text() {
        for decimal in [
            Decimal::new(115, 2),
            Decimal::new(18, 2),
            Decimal::new(1, 2),
            Decimal::whole(2_147_483_647),
            Decimal::new(123_456_789, 7),
        ] {
            let parsed: f64 = serde_json::from_str(&decimal.to_string()).unwrap();
            assert_eq!(decimal.to_f64(), parsed, "{decimal}");
        }
    }
}
