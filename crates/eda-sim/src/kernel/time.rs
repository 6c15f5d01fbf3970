//! Virtual time. The simulation never reads a wall clock: instants and spans are whole
//! microseconds, so every platform computes exactly the same schedule.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An instant of virtual time, in microseconds since the start of the run.
/// Serialized as the bare number of microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SimTime(pub u64);

/// A span of virtual time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn as_micros(self) -> u64 {
        self.0
    }

    /// `self + span`, saturating at the end of representable time instead of wrapping.
    pub fn saturating_add(self, span: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(span.0))
    }

    /// The span from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    pub fn from_micros(us: u64) -> Self {
        SimDuration(us)
    }
    pub fn from_millis(ms: u64) -> Self {
        SimDuration(ms.saturating_mul(1_000))
    }
    pub fn from_secs(s: u64) -> Self {
        SimDuration(s.saturating_mul(1_000_000))
    }
    pub fn as_micros(self) -> u64 {
        self.0
    }
}

/// Formats an instant as seconds with microsecond precision, e.g. `1.250000 s`.
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:06} s", self.0 / 1_000_000, self.0 % 1_000_000)
    }
}

/// Formats a span in the largest unit that represents it exactly: `1s`, `250ms`, `1500us`.
impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0;
        if us != 0 && us.is_multiple_of(1_000_000) {
            write!(f, "{}s", us / 1_000_000)
        } else if us != 0 && us.is_multiple_of(1_000) {
            write!(f, "{}ms", us / 1_000)
        } else {
            write!(f, "{us}us")
        }
    }
}

/// Why a duration text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationParseError(pub String);

impl fmt::Display for DurationParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DurationParseError {}

impl std::str::FromStr for SimDuration {
    type Err = DurationParseError;

    /// Reads `250ms`, `1.5s`, `20us`, `2min`, `1.5h`, `2d` exactly (decimal arithmetic, no
    /// floating point).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.starts_with('-') {
            return Err(DurationParseError(format!(
                "duration {:?} is negative; durations are zero or more",
                text
            )));
        }
        let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(|| {
            DurationParseError(format!(
                "duration {:?} has no unit: write it like \"250ms\", \"1.5s\", \"20us\" or \"2min\"",
                text
            ))
        })?;
        let (number, unit) = text.split_at(split);
        let unit_us: u64 = match unit.trim() {
            "us" | "µs" => 1,
            "ms" => 1_000,
            "s" => 1_000_000,
            "min" => 60_000_000,
            "h" => 3_600_000_000,
            "d" => 86_400_000_000,
            other => {
                return Err(DurationParseError(format!(
                    "duration {:?} has unknown unit {:?}: use us, ms, s, min, h or d",
                    text, other
                )))
            }
        };
        let bad_number = || DurationParseError(format!("duration {:?} is not a number followed by a unit", text));
        let (whole, fraction) = match number.split_once('.') {
            Some((w, f)) => (w, f),
            None => (number, ""),
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err(bad_number());
        }
        if fraction.contains('.') {
            return Err(bad_number());
        }
        let whole_value: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad_number())?
        };
        let too_long = || {
            DurationParseError(format!(
                "duration {:?} is longer than the simulation can represent",
                text
            ))
        };
        let mut total = whole_value.checked_mul(unit_us).ok_or_else(too_long)?;
        // Each fractional digit is worth a tenth of the previous one; digits finer than 1 µs
        // are not representable and are refused rather than silently rounded.
        let mut place = unit_us;
        for digit in fraction.chars() {
            let d = digit.to_digit(10).ok_or_else(bad_number)? as u64;
            if !place.is_multiple_of(10) {
                if d != 0 {
                    return Err(DurationParseError(format!(
                        "duration {:?} is finer than one microsecond",
                        text
                    )));
                }
                continue;
            }
            place /= 10;
            total = total.checked_add(d * place).ok_or_else(too_long)?;
        }
        Ok(SimDuration(total))
    }
}

impl Serialize for SimDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Read from text: `"250ms"`, `"1.5s"`; anything else is refused with the form expected.
impl<'de> Deserialize<'de> for SimDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationText;
        impl serde::de::Visitor<'_> for DurationText {
            type Value = SimDuration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"250ms\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<SimDuration, E> {
                text.parse().map_err(|e: DurationParseError| E::custom(e))
            }
        }
        deserializer.deserialize_str(DurationText)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_fractions_exactly() {
        assert_eq!("250ms".parse::<SimDuration>().unwrap(), SimDuration(250_000));
        assert_eq!("1.5s".parse::<SimDuration>().unwrap(), SimDuration(1_500_000));
        assert_eq!("0.001ms".parse::<SimDuration>().unwrap(), SimDuration(1));
        assert_eq!("2min".parse::<SimDuration>().unwrap(), SimDuration(120_000_000));
        assert_eq!("1.5h".parse::<SimDuration>().unwrap(), SimDuration(5_400_000_000));
        assert_eq!("2d".parse::<SimDuration>().unwrap(), SimDuration(172_800_000_000));
        assert_eq!("7us".parse::<SimDuration>().unwrap(), SimDuration(7));
    }

    #[test]
    fn refuses_malformed_durations_with_a_reason() {
        for bad in [
            "",
            "10",
            "ms",
            "1.2.3s",
            "5 parsecs",
            "0.0001ms",
            "99999999999999999999s",
        ] {
            let error = bad.parse::<SimDuration>().unwrap_err();
            assert!(error.0.contains("duration"), "{bad}: {error}");
        }
    }

    #[test]
    fn display_round_trips() {
        for us in [0, 1, 999, 1_000, 1_500, 1_000_000, 61_000_000] {
            let span = SimDuration(us);
            assert_eq!(span.to_string().parse::<SimDuration>().unwrap(), span);
        }
        assert_eq!(SimTime(1_250_000).to_string(), "1.250000 s");
    }
}
