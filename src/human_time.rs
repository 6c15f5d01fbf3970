//! Times as people read them: in the unit that fits (`350 ms`, `12.4 s`, `3 min 20 s`,
//! `2 d 06:00`) rather than microseconds. The exact value stays one hover away (the title of
//! the element that shows it), and what the simulator stores is never rounded.

use eda_sim::{SimDuration, SimTime};

const MS: u64 = 1_000;
const S: u64 = 1_000_000;
const MIN: u64 = 60 * S;
const H: u64 = 60 * MIN;
const D: u64 = 24 * H;

/// A duration or instant in microseconds, in the unit that fits, with about three significant
/// figures below a minute and to the second (minute, from a day on) above it.
pub fn human(us: u64) -> String {
    if us == 0 {
        "0 s".to_string()
    } else if us < MS {
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

/// An instant for a clock: in the unit that fits, like [`human`], but never rounded (trailing
/// zeros dropped): `0 s`, `50 µs`, `1.005 s`, `3 min 20.5 s`, `2 h 05 min 07 s`,
/// `5 d 00:00`, `2 d 06:00:30.25`. Two different instants always read differently.
pub fn clock(time: SimTime) -> String {
    let us = time.0;
    let seconds = |us: u64| {
        let text = format!("{}.{:06}", us / S, us % S);
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if us == 0 {
        "0 s".to_string()
    } else if us < MS {
        format!("{us} µs")
    } else if us < MIN {
        format!("{} s", seconds(us))
    } else if us < H {
        format!("{} min {} s", us / MIN, seconds(us % MIN))
    } else if us < D {
        let rest = us % MIN;
        let tail = if rest == 0 {
            String::new()
        } else {
            format!(" {} s", seconds(rest))
        };
        format!("{} h {:02} min{tail}", us / H, us / MIN % 60)
    } else {
        let rest = us % MIN;
        let tail = if rest == 0 {
            String::new()
        } else {
            let s = seconds(rest);
            format!(":{}{s}", if rest < 10 * S { "0" } else { "" })
        };
        format!("{} d {:02}:{:02}{tail}", us / D, us / H % 24, us / MIN % 60)
    }
}

/// Reads what [`clock`] writes (`3 min 20.5 s`, `2 d 06:00:30.25`, `1 h 05 min`) as well as
/// the scenario format's single durations (`1.5s`, `250 ms`), so a time copied from the clock
/// can be typed back. Each part is read exactly by [`SimDuration`]'s parser.
pub fn parse(text: &str) -> Result<SimDuration, String> {
    let text = text.trim();
    let simple = |t: &str| t.parse::<SimDuration>().map_err(|e| e.to_string());
    let parts: Vec<&str> = text.split_whitespace().collect();
    if parts.len() <= 2 && !text.contains(':') {
        return simple(&parts.concat());
    }
    let mut total = SimDuration(0);
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i];
        let (amount, used) = if part.contains(':') {
            // hh:mm or hh:mm:ss(.fraction), after a count of days.
            let fields: Vec<&str> = part.split(':').collect();
            let units = ["h", "min", "s"];
            if fields.len() > 3 || fields.iter().any(|f| f.is_empty()) {
                return Err(format!("time {text:?} is not like \"2 d 06:00\" or \"3 min 20 s\""));
            }
            let mut sum = SimDuration(0);
            for (field, unit) in fields.iter().zip(units) {
                sum = SimDuration(sum.0.saturating_add(simple(&format!("{field}{unit}"))?.0));
            }
            (sum, 1)
        } else if part.chars().any(|c| c.is_alphabetic()) {
            (simple(part)?, 1)
        } else {
            let unit = parts
                .get(i + 1)
                .ok_or_else(|| format!("time {text:?} ends without a unit"))?;
            (simple(&format!("{part}{unit}"))?, 2)
        };
        total = SimDuration(total.0.saturating_add(amount.0));
        i += used;
    }
    Ok(total)
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
        assert_eq!(human(0), "0 s");
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
    fn the_clock_form_fits_the_unit_and_never_rounds() {
        assert_eq!(clock(SimTime(0)), "0 s");
        assert_eq!(clock(SimTime(50)), "50 µs");
        assert_eq!(clock(SimTime(1_200_000)), "1.2 s");
        assert_eq!(clock(SimTime(1_005_000)), "1.005 s");
        assert_eq!(clock(SimTime(5_000)), "0.005 s");
        assert_eq!(clock(SimTime(4_999_999)), "4.999999 s");
        assert_eq!(clock(SimTime(200 * S + 500_000)), "3 min 20.5 s");
        assert_eq!(clock(SimTime(2 * H + 5 * MIN + 7 * S)), "2 h 05 min 7 s");
        assert_eq!(clock(SimTime(9 * H)), "9 h 00 min");
        assert_eq!(clock(SimTime(5 * D)), "5 d 00:00");
        assert_eq!(clock(SimTime(2 * D + 6 * H + 30 * S + 250_000)), "2 d 06:00:30.25");
        assert_eq!(clock(SimTime(D + 3 * S)), "1 d 00:00:03");
        // Neighbouring instants stay apart.
        assert_ne!(clock(SimTime(3 * D + 1)), clock(SimTime(3 * D)));
    }

    #[test]
    fn what_the_clock_writes_reads_back() {
        for us in [
            0,
            50,
            1_005_000,
            200 * S + 500_000,
            2 * H + 5 * MIN + 7 * S,
            5 * D,
            2 * D + 6 * H + 30 * S + 250_000,
        ] {
            assert_eq!(
                parse(&clock(SimTime(us))),
                Ok(SimDuration(us)),
                "{}",
                clock(SimTime(us))
            );
        }
        assert_eq!(parse("1.5s"), Ok(SimDuration(1_500_000)));
        assert_eq!(parse(" 250 ms "), Ok(SimDuration(250_000)));
        assert!(parse("soon").unwrap_err().contains("unknown unit"));
        assert!(parse("2 d 06::00").is_err());
        assert!(parse("3 min 20").is_err());
    }

    #[test]
    fn the_exact_form_keeps_every_microsecond() {
        assert_eq!(exact(SimTime(432_000_000_000)), "432000.000000 s (5 d 00:00)");
        assert_eq!(exact(SimTime(1_250)), "0.001250 s (1.25 ms)");
    }
}
