//! Times as people read them: in the unit that fits (`350 ms`, `12.4 s`, `3 min 20 s`,
//! `2 d 06:00`) rather than microseconds. The exact value stays one hover away (the title of
//! the element that shows it), and what the simulator stores is never rounded.

use eda_sim::SimTime;

const MS: u64 = 1_000;
const S: u64 = 1_000_000;
const MIN: u64 = 60 * S;
const H: u64 = 60 * MIN;
const D: u64 = 24 * H;

/// A duration or instant in microseconds, in the unit that fits, with about three significant
/// figures below a minute and to the second (minute, from a day on) above it.
pub fn human(us: u64) -> String {
    if us < MS {
        format!("{us} µs")
    } else if us < S {
        with_unit(us as f64 / MS as f64, "ms")
    } else if us < MIN {
        with_unit(us as f64 / S as f64, "s")
    } else if us < H {
        let s = us / S;
        format!("{} min {} s", s / 60, s % 60)
    } else if us < D {
        let m = us / MIN;
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        let m = us / MIN;
        format!("{} d {:02}:{:02}", m / (24 * 60), m / 60 % 24, m % 60)
    }
}

/// Three significant figures at most, trailing zeros dropped: `1.25 ms`, `12.4 s`, `350 ms`.
fn with_unit(value: f64, unit: &str) -> String {
    let decimals = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text} {unit}")
}

/// An instant, in the unit that fits.
pub fn at(time: SimTime) -> String {
    human(time.0)
}

/// An instant exactly, for hovers and the inspector: `432000.000000 s (5 d 00:00)`.
pub fn exact(time: SimTime) -> String {
    format!("{time} ({})", human(time.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_range_has_its_unit() {
        assert_eq!(human(0), "0 µs");
        assert_eq!(human(50), "50 µs");
        assert_eq!(human(1_250), "1.25 ms");
        assert_eq!(human(350_000), "350 ms");
        assert_eq!(human(1_000_000), "1 s");
        assert_eq!(human(12_400_000), "12.4 s");
        assert_eq!(human(200 * S), "3 min 20 s");
        assert_eq!(human(9 * H + 5 * MIN), "9 h 05 min");
        assert_eq!(human(2 * D + 6 * H), "2 d 06:00");
        assert_eq!(human(5 * D), "5 d 00:00");
    }

    #[test]
    fn the_exact_form_keeps_every_microsecond() {
        assert_eq!(exact(SimTime(432_000_000_000)), "432000.000000 s (5 d 00:00)");
        assert_eq!(exact(SimTime(1_250)), "0.001250 s (1.25 ms)");
    }
}
