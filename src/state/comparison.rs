//! A/B comparison in the page: variant B of the scenario, run with the same seed beside it and
//! kept at the same moment, either side edited with the ordinary panels (the side being edited
//! is the main model; the other waits in [`Comparison::other`]), the first divergence of the
//! two traces, and the pair's link.

use super::*;
use eda_sim::view::compare::{self, FirstDivergence};

/// Most events each run goes through in the page while looking for the first divergence: a
/// few tenths of a second at most, so that an edit never freezes the tab.
pub const DIVERGENCE_EVENTS_IN_PAGE: u64 = 300_000;
/// Most events the other side runs in one redraw of the panels to reach the main side's
/// moment; a longer way is made over the following redraws (the panel says it is catching up).
pub const OTHER_SIDE_EVENTS_PER_REFRESH: u64 = 200_000;

/// A comparison on screen.
pub struct Comparison {
    /// The side not being edited: a model of its own, at the same moment as the main one.
    pub other: Rc<RefCell<Model>>,
    /// Whether the main model (the diagram above, every editing panel) is variant B.
    pub editing_b: bool,
    /// Where the traces part, for the scenarios as they are now (or why it is not known).
    pub divergence: Option<Result<FirstDivergence, String>>,
    /// The scenario revisions (main, swaps) the divergence was found for.
    computed_for: (u64, u64),
    swaps: u64,
    /// The panel revision the other side was last brought to the main side's moment at.
    followed_at: u64,
    /// Why the other side's run stopped short of the moment, if it did.
    pub sync_error: Option<String>,
}

impl Comparison {
    /// Scenario A and scenario B, whichever side is being edited.
    pub fn scenarios<'a>(&self, main: &'a Scenario, other: &'a Scenario) -> (&'a Scenario, &'a Scenario) {
        if self.editing_b {
            (other, main)
        } else {
            (main, other)
        }
    }
}

/// What a user asks of a comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareAction {
    /// Make variant B of the scenario on screen and compare the two.
    Start,
    /// Edit variant B (true) or A (false) with the panels.
    Edit(bool),
    /// Move both runs to the moment their traces part.
    GoToDivergence,
    /// Make the link of both runs at this moment.
    CopyLink,
    /// Stop comparing; the side being edited stays.
    End,
}

impl Model {
    pub(super) fn compare(&mut self, action: CompareAction) {
        match action {
            CompareAction::Start => {
                let variant = compare::variant_of(&self.scenario);
                self.start_comparison(variant, false);
                if self.comparison.is_some() {
                    self.announcement = crate::tr!("said-variant-made");
                }
            }
            CompareAction::Edit(b) => {
                if self.comparison.as_ref().is_some_and(|c| c.editing_b != b) {
                    self.swap_sides();
                    self.announcement = crate::tr!("said-editing-variant", side = if b { "B" } else { "A" });
                }
            }
            CompareAction::GoToDivergence => {
                let at = match self.comparison.as_ref().and_then(|c| c.divergence.as_ref()) {
                    Some(Ok(FirstDivergence::At(d))) => Some(d.time),
                    _ => None,
                };
                if let Some(at) = at {
                    self.playback(Playback::SeekTime(at));
                    self.announcement = crate::tr!("said-at-divergence", at = at.to_string());
                }
            }
            CompareAction::CopyLink => {
                if let Some(link) = self.comparison_link() {
                    self.offer_link(link, "error-comparison-link-long", "said-ab-link-made");
                }
            }
            CompareAction::End => {
                self.comparison = None;
                self.announcement = crate::tr!("said-comparison-closed");
            }
        }
    }

    /// The A/B link of this moment, in the page's language, while comparing.
    pub(super) fn comparison_link(&self) -> Option<String> {
        let c = self.comparison.as_ref()?;
        let other = c.other.borrow();
        let (a, b) = c.scenarios(&self.scenario, &other.scenario);
        let now = self.sim().now();
        let cursor = (now > SimTime::ZERO).then_some(SimDuration(now.0));
        Some(compare::encode_comparison_in(
            a,
            b,
            cursor,
            c.editing_b,
            Some(self.lang.tag()),
        ))
    }

    /// Opens an A/B link (already known to be one); on error nothing changes.
    pub(super) fn open_comparison_link(&mut self, link: &str) {
        let opened = match compare::decode_comparison(link) {
            Ok(opened) => opened,
            Err(e) => {
                self.error = Some(crate::tr!("error-unchanged", why = crate::i18n::errors::link(&e)));
                return;
            }
        };
        // The sharer's language, unless the reader chose one.
        if let Some(lang) = opened.lang.as_deref().and_then(crate::i18n::Lang::from_tag) {
            self.set_language(lang, false);
        }
        let (main, other) = if opened.editing_b {
            (opened.b, opened.a)
        } else {
            (opened.a, opened.b)
        };
        if !self.load(main, &crate::tr!("error-link-context")) {
            return;
        }
        self.gallery_open = false;
        self.start_comparison(other, opened.editing_b);
        if self.comparison.is_none() {
            return;
        }
        if let Some(cursor) = opened.cursor {
            self.playback(Playback::SeekTime(SimTime(cursor.0)));
        }
        self.announcement = crate::tr!("said-opened-comparison", at = self.sim().now().to_string());
    }

    /// Compares the main scenario with `other` (B, or A when `editing_b`), run with A's seed.
    fn start_comparison(&mut self, other: Scenario, editing_b: bool) {
        let other = if editing_b {
            other
        } else {
            compare::same_seed(&self.scenario, &other)
        };
        match Model::new(other) {
            Ok(model) => {
                self.comparison = Some(Comparison {
                    other: Rc::new(RefCell::new(model)),
                    editing_b,
                    divergence: None,
                    computed_for: (u64::MAX, 0),
                    swaps: 0,
                    followed_at: u64::MAX,
                    sync_error: None,
                });
                // The end of this action brings the other side to the moment.
            }
            Err(e) => {
                self.error = Some(crate::tr!(
                    "error-variant",
                    why = crate::i18n::problems::words(&e.to_string())
                ))
            }
        }
    }

    /// Edits the other side: the two sides change places.
    fn swap_sides(&mut self) {
        // Both sides at this moment first, paused: the swap must not move the clock.
        self.playing = false;
        if let Some(c) = self.comparison.as_mut() {
            c.followed_at = u64::MAX;
        }
        self.follow_comparison();
        let revision = self.scenario_revision;
        let Some(c) = self.comparison.as_mut() else { return };
        let divergence_current = c.computed_for == (revision, c.swaps);
        {
            let mut other = c.other.borrow_mut();
            std::mem::swap(&mut self.scenario, &mut other.scenario);
            std::mem::swap(&mut self.timeline, &mut other.timeline);
            other.scenario_revision += 1;
            other.panel_revision += 1;
        }
        c.editing_b = !c.editing_b;
        c.swaps += 1;
        self.scenario_revision += 1;
        // The pair of scenarios is the same: the divergence found for it still holds.
        if divergence_current {
            c.computed_for = (self.scenario_revision, c.swaps);
        }
        // What belonged to the side edited until now.
        self.pending.clear();
        self.property_error = None;
        self.field_error = None;
        self.confirmation = None;
        self.log_entity.clear();
        self.selected_source = self.scenario.event_bus.sources.first().map(|s| s.id.clone());
        self.editing = None;
        self.inspected = None;
        self.selected.clear();
        self.share_link = None;
    }

    /// Keeps the other side at the main side's moment and the divergence up to date with the
    /// scenarios (at most once per redraw of the panels).
    pub(super) fn follow_comparison(&mut self) {
        let now = self.sim().now();
        let revision = self.scenario_revision;
        let panel_revision = self.panel_revision;
        let Some(c) = self.comparison.as_mut() else { return };
        if c.followed_at == panel_revision {
            return;
        }
        c.followed_at = panel_revision;
        {
            let mut other = c.other.borrow_mut();
            if other.sim().now() != now {
                // Bounded: a long way is made over several redraws.
                match other.timeline.seek_to_time(now, OTHER_SIDE_EVENTS_PER_REFRESH) {
                    Ok(progress) => {
                        c.sync_error = None;
                        if !progress.reached {
                            c.followed_at = u64::MAX;
                        }
                    }
                    Err(e) => c.sync_error = Some(e.to_string()),
                }
            }
            other.panel_revision = panel_revision;
            other.playing = self.playing;
        }
        if c.computed_for != (revision, c.swaps) {
            let other = c.other.borrow();
            let (a, b) = c.scenarios(&self.scenario, &other.scenario);
            let found = compare::first_divergence(a, b, None, DIVERGENCE_EVENTS_IN_PAGE);
            drop(other);
            c.divergence = Some(found);
            c.computed_for = (revision, c.swaps);
        }
    }
}
