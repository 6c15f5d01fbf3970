//! Faults of one network link: what happens to a message on its way from one entity to another.
//! A link can lose a message, deliver it twice, add a random delay and let messages overtake each
//! other within a window. The default is a perfect link, which draws nothing from the generator,
//! so a scenario without faults runs exactly as it did before links had faults.
//!
//! Patterns decide what a lost or doubled message means for them (a lost delivery stays
//! unacknowledged at the broker; a doubled one is processed twice unless the consumer dedupes);
//! this module only decides each message's fate, deterministically from the run's generator.

use crate::kernel::rng::{Distribution, SimRng};
use crate::kernel::time::SimDuration;
use crate::kernel::validate::Validator;
use serde::{Deserialize, Serialize};

/// The faults of one link, as the scenario format spells them (every field optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkFaults {
    /// Percentage of messages the link loses (0–100).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub loss_percent: u32,
    /// Percentage of messages the link delivers twice (0–100); the copy takes its own delay.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duplicate_percent: u32,
    /// Extra delay of every message on the link, on top of the pattern's own network delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<Distribution>,
    /// Each message is held a further random time between zero and this, so messages sent less
    /// than this apart may arrive in the other order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder_window: Option<SimDuration>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What the link does with one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Lost on the way.
    Lost,
    /// Arrives after this extra delay.
    Arrives { extra: SimDuration },
    /// Arrives twice: after `extra`, and a copy after `copy_extra`.
    Doubled {
        extra: SimDuration,
        copy_extra: SimDuration,
    },
}

impl LinkFaults {
    /// Whether the scenario left the link as its default (left out when written).
    pub fn is_unset(&self) -> bool {
        *self == LinkFaults::default()
    }

    /// True for a perfect link (nothing lost, doubled or delayed).
    pub fn is_perfect(&self) -> bool {
        self.loss_percent == 0
            && self.duplicate_percent == 0
            && self.delay.as_ref().is_none_or(|d| d.max() == Some(SimDuration::ZERO))
            && self.reorder_window.is_none_or(|w| w.0 == 0)
    }

    /// Decides one message's fate. Draws from `rng` only for the faults that are set, in a fixed
    /// order (loss, duplication, delay, reorder; then the copy's delay and reorder).
    #[inline]
    pub fn fate(&self, rng: &mut SimRng) -> Fate {
        if self.loss_percent > 0 && rng.below(100) < u64::from(self.loss_percent) {
            return Fate::Lost;
        }
        let doubled = self.duplicate_percent > 0 && rng.below(100) < u64::from(self.duplicate_percent);
        let extra = self.extra_delay(rng);
        if doubled {
            let copy_extra = self.extra_delay(rng);
            Fate::Doubled { extra, copy_extra }
        } else {
            Fate::Arrives { extra }
        }
    }

    fn extra_delay(&self, rng: &mut SimRng) -> SimDuration {
        let delay = self.delay.as_ref().map_or(SimDuration::ZERO, |d| d.sample(rng));
        let hold = match self.reorder_window {
            Some(window) if window.0 > 0 => SimDuration(rng.between(0, window.0)),
            _ => SimDuration::ZERO,
        };
        SimDuration(delay.0.saturating_add(hold.0))
    }

    /// Checks percentages and spans; `path` names the link in messages.
    pub fn validate(&self, v: &mut Validator, path: &str) {
        for (field, percent) in [
            ("loss_percent", self.loss_percent),
            ("duplicate_percent", self.duplicate_percent),
        ] {
            if percent > 100 {
                v.report(format!("{path}.{field}"), "a percentage between 0 and 100");
            }
        }
        if self.loss_percent == 100 {
            v.report(
                format!("{path}.loss_percent"),
                "a link that loses every message connects nothing; crash the receiver instead",
            );
        }
        if let Some(d) = &self.delay {
            v.distribution(format!("{path}.delay"), d, false);
        }
        if let Some(w) = self.reorder_window {
            v.duration(format!("{path}.reorder_window"), w);
        }
    }
}

/// What the link does, in a few words: `loses 3 % · doubles 3 % · +exp 5ms · reorders within
/// 20ms`; `perfect` for a perfect link.
impl std::fmt::Display for LinkFaults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if self.loss_percent > 0 {
            parts.push(format!("loses {} %", self.loss_percent));
        }
        if self.duplicate_percent > 0 {
            parts.push(format!("doubles {} %", self.duplicate_percent));
        }
        if let Some(d) = self.delay.as_ref().filter(|d| d.max() != Some(SimDuration::ZERO)) {
            parts.push(format!("+{d}"));
        }
        if let Some(w) = self.reorder_window.filter(|w| w.0 > 0) {
            parts.push(format!("reorders within {w}"));
        }
        if parts.is_empty() {
            f.write_str("perfect")
        } else {
            f.write_str(&parts.join(" · "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_link_draws_nothing_and_delivers_at_once() {
        let mut rng = SimRng::new(3);
        let mut untouched = SimRng::new(3);
        let link = LinkFaults::default();
        assert!(link.is_perfect());
        assert_eq!(
            link.fate(&mut rng),
            Fate::Arrives {
                extra: SimDuration::ZERO
            }
        );
        assert_eq!(rng.next_u64(), untouched.next_u64());
    }

    #[test]
    fn loss_and_duplication_come_at_their_rates() {
        let mut rng = SimRng::new(11);
        let link = LinkFaults {
            loss_percent: 20,
            duplicate_percent: 10,
            ..LinkFaults::default()
        };
        let (mut lost, mut doubled) = (0, 0);
        for _ in 0..100_000 {
            match link.fate(&mut rng) {
                Fate::Lost => lost += 1,
                Fate::Doubled { .. } => doubled += 1,
                Fate::Arrives { .. } => {}
            }
        }
        // 20 % lost; 10 % of the other 80 % doubled (8 % of all), within a few standard deviations.
        assert!((19_000..21_000).contains(&lost), "{lost}");
        assert!((7_300..8_700).contains(&doubled), "{doubled}");
    }

    #[test]
    fn the_reorder_window_bounds_the_extra_hold() {
        let mut rng = SimRng::new(5);
        let link = LinkFaults {
            reorder_window: Some(SimDuration(1_000)),
            ..LinkFaults::default()
        };
        assert!(!link.is_perfect());
        let holds: Vec<u64> = (0..1_000)
            .map(|_| match link.fate(&mut rng) {
                Fate::Arrives { extra } => extra.0,
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(holds.iter().all(|&h| h <= 1_000));
        assert!(holds.iter().any(|&h| h > 900) && holds.iter().any(|&h| h < 100));
        assert_eq!(link.to_string(), "reorders within 1ms");
        let lossy = LinkFaults {
            loss_percent: 3,
            duplicate_percent: 2,
            ..link
        };
        assert_eq!(lossy.to_string(), "loses 3 % · doubles 2 % · reorders within 1ms");
        assert_eq!(LinkFaults::default().to_string(), "perfect");
    }
}
