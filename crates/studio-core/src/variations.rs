//! Try variations: the form's request sent several times, changing one thing, each take labelled with what differs.
//! Everything else stays the same, the seed too (one is drawn if the form gives none), so that what is heard differs
//! only by what was varied.

use std::fmt;

use zonos_api::{format_number, Field, FieldError, GenerateRequest};

use crate::script::split::chars_per_part;

/// The fewest and the most requests one press may send: each is paid.
pub const FEWEST: u32 = 2;
pub const MOST: u32 = 8;

/// What changes from one variation to the next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Vary {
    /// `count` seeds, drawn at random, all different.
    Seeds { count: u32 },
    /// `steps` temperatures, evenly spaced from `from` to `to`.
    Temperature { from: f64, to: f64, steps: u32 },
    /// Accurate mode on, then off: the docs' "closer voice match" against "more expressive delivery".
    Delivery,
}

/// One request of the set, and what tells it from the others, in words ("Seed 1234").
#[derive(Debug, Clone, PartialEq)]
pub struct Variation {
    pub label: String,
    pub request: GenerateRequest,
}

/// Why a set of variations can't be sent.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanProblem {
    /// Fewer than [`FEWEST`] or more than [`MOST`].
    Count { given: u32 },
    /// A temperature the gateway refuses.
    Field(FieldError),
    /// The range is too narrow for that many different temperatures (at two decimals).
    TooNarrow,
    /// The text is longer than one request carries (`limit` characters): each variation would be cut short.
    TooLong { limit: usize },
}

impl fmt::Display for PlanProblem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanProblem::Count { given } => {
                write!(formatter, "Between {FEWEST} and {MOST} variations can be sent at once, not {given}.")
            }
            PlanProblem::Field(error) => write!(formatter, "{error}."),
            PlanProblem::TooNarrow => {
                formatter.write_str("The temperatures are too close together for that many steps: widen the range.")
            }
            PlanProblem::TooLong { limit } => write!(
                formatter,
                "Variations are of one request, and this text is longer than one request carries ({limit} characters \
                 at this Max tokens): shorten it, or Generate it as a script."
            ),
        }
    }
}

fn check_count(count: u32) -> Result<(), PlanProblem> {
    if (FEWEST..=MOST).contains(&count) {
        Ok(())
    } else {
        Err(PlanProblem::Count { given: count })
    }
}

/// Every seed the gateway accepts is below this.
const SEEDS: u32 = 2_147_483_648;

/// The requests `vary` makes of `base`. `draw_seed` gives random numbers, for the seeds (any `u32`: they are brought
/// into the documented range here).
pub fn plan(
    base: &GenerateRequest,
    vary: Vary,
    mut draw_seed: impl FnMut() -> u32,
) -> Result<Vec<Variation>, PlanProblem> {
    let limit = chars_per_part(base.max_tokens);
    if base.text_or_default().chars().count() > limit {
        return Err(PlanProblem::TooLong { limit });
    }
    let mut draw = move || draw_seed() % SEEDS;
    let with = |label: String, change: &dyn Fn(&mut GenerateRequest)| {
        let mut request = base.clone();
        change(&mut request);
        Variation { label, request }
    };
    match vary {
        Vary::Seeds { count } => {
            check_count(count)?;
            let mut seeds: Vec<u32> = Vec::new();
            while seeds.len() < count as usize {
                let seed = draw();
                if !seeds.contains(&seed) {
                    seeds.push(seed);
                }
            }
            Ok(seeds
                .into_iter()
                .map(|seed| with(format!("Seed {seed}"), &|request| request.seed = Some(seed)))
                .collect())
        }
        Vary::Temperature { from, to, steps } => {
            check_count(steps)?;
            for end in [from, to] {
                let probe = GenerateRequest { temperature: end, ..base.clone() };
                if let Some(problem) = probe.problems().into_iter().find(|problem| problem.field == Field::Temperature)
                {
                    return Err(PlanProblem::Field(problem));
                }
            }
            let temperatures: Vec<f64> = (0..steps)
                .map(|step| {
                    let exact = from + (to - from) * f64::from(step) / f64::from(steps - 1);
                    (exact * 100.0).round() / 100.0
                })
                .collect();
            if temperatures.windows(2).any(|pair| pair[0] == pair[1]) {
                return Err(PlanProblem::TooNarrow);
            }
            let seed = base.seed.unwrap_or_else(&mut draw);
            Ok(temperatures
                .into_iter()
                .map(|temperature| {
                    with(format!("Temperature {}", format_number(temperature)), &|request| {
                        request.temperature = temperature;
                        request.seed = Some(seed);
                    })
                })
                .collect())
        }
        Vary::Delivery => {
            let seed = base.seed.unwrap_or_else(&mut draw);
            Ok([("Accurate", true), ("Expressive", false)]
                .into_iter()
                .map(|(label, accurate)| {
                    with(label.to_owned(), &|request| {
                        request.accurate_mode = accurate;
                        request.seed = Some(seed);
                    })
                })
                .collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> GenerateRequest {
        GenerateRequest {
            text: Some("One sentence, heard several ways.".into()),
            ..GenerateRequest::with_reference("https://voices.example/a.wav")
        }
    }

    /// A generator that gives `values` in turn.
    fn drawing(values: &[u32]) -> impl FnMut() -> u32 + '_ {
        let mut next = values.iter().cycle();
        move || *next.next().unwrap()
    }

    /// Every field but `seed`, `temperature` and `accurate_mode` is the base's.
    fn rest(request: &GenerateRequest) -> GenerateRequest {
        GenerateRequest { seed: None, temperature: 0.0, accurate_mode: true, ..request.clone() }
    }

    #[test]
    fn seeds_are_all_different_in_range_and_named() {
        let planned = plan(&base(), Vary::Seeds { count: 4 }, drawing(&[7, 7, u32::MAX, 1234, 7, 99])).unwrap();
        let seeds: Vec<u32> = planned.iter().map(|variation| variation.request.seed.unwrap()).collect();
        assert_eq!(seeds, vec![7, u32::MAX % SEEDS, 1234, 99]);
        let labels: Vec<&str> = planned.iter().map(|variation| variation.label.as_str()).collect();
        assert_eq!(labels, vec!["Seed 7", "Seed 2147483647", "Seed 1234", "Seed 99"]);
        for variation in &planned {
            assert_eq!(rest(&variation.request), rest(&base()));
            assert_eq!(variation.request.temperature, base().temperature);
            assert!(variation.request.validate().is_ok());
        }
    }

    #[test]
    fn counts_outside_the_bounds_are_refused() {
        for count in [0, 1, MOST + 1] {
            assert_eq!(
                plan(&base(), Vary::Seeds { count }, drawing(&[1, 2])),
                Err(PlanProblem::Count { given: count })
            );
        }
        let problem = plan(&base(), Vary::Temperature { from: 0.5, to: 1.5, steps: 9 }, drawing(&[1])).unwrap_err();
        assert_eq!(problem.to_string(), "Between 2 and 8 variations can be sent at once, not 9.");
    }

    #[test]
    fn temperatures_span_the_range_with_one_seed() {
        let planned = plan(&base(), Vary::Temperature { from: 0.5, to: 1.5, steps: 5 }, drawing(&[42])).unwrap();
        let temperatures: Vec<f64> = planned.iter().map(|variation| variation.request.temperature).collect();
        assert_eq!(temperatures, vec![0.5, 0.75, 1.0, 1.25, 1.5]);
        assert_eq!(planned[1].label, "Temperature 0.75");
        assert_eq!(planned[2].label, "Temperature 1");
        assert!(planned.iter().all(|variation| variation.request.seed == Some(42)));
        assert!(planned.iter().all(|variation| rest(&variation.request) == rest(&base())));
    }

    #[test]
    fn a_given_seed_is_kept() {
        let seeded = GenerateRequest { seed: Some(5), ..base() };
        let planned = plan(&seeded, Vary::Delivery, drawing(&[42])).unwrap();
        assert!(planned.iter().all(|variation| variation.request.seed == Some(5)));
    }

    #[test]
    fn temperatures_the_gateway_refuses_are_named() {
        let problem = plan(&base(), Vary::Temperature { from: 0.5, to: 2.5, steps: 3 }, drawing(&[1])).unwrap_err();
        let PlanProblem::Field(error) = &problem else { panic!("expected the field's problem, got {problem:?}") };
        assert_eq!(error.field, Field::Temperature);
        assert!(problem.to_string().contains("temperature"), "{problem}");
        assert!(problem.to_string().contains('2'), "{problem}");
    }

    #[test]
    fn a_range_too_narrow_for_its_steps_is_refused() {
        let problem = plan(&base(), Vary::Temperature { from: 1.0, to: 1.02, steps: 4 }, drawing(&[1])).unwrap_err();
        assert_eq!(problem, PlanProblem::TooNarrow);
    }

    #[test]
    fn a_text_longer_than_one_request_is_refused() {
        let long = GenerateRequest { text: Some("word ".repeat(2000)), ..base() };
        let problem = plan(&long, Vary::Delivery, drawing(&[1])).unwrap_err();
        assert_eq!(problem, PlanProblem::TooLong { limit: chars_per_part(None) });
        assert!(problem.to_string().contains("Generate it as a script"), "{problem}");
    }

    #[test]
    fn delivery_is_accurate_then_expressive() {
        let planned = plan(&base(), Vary::Delivery, drawing(&[3])).unwrap();
        let shown: Vec<(&str, bool)> =
            planned.iter().map(|variation| (variation.label.as_str(), variation.request.accurate_mode)).collect();
        assert_eq!(shown, vec![("Accurate", true), ("Expressive", false)]);
        assert!(planned.iter().all(|variation| variation.request.seed == Some(3)));
    }
}
