//! Loading and sharing: examples, links (and their repaired copies), files, the autosave's
//! restore offer.

use super::*;

/// A refused link's repaired copy, and the alert it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct RepairedLink {
    /// The alert that said why the link was refused.
    pub error: String,
    pub state: eda_sim::view::share::SharedState,
    /// What the repair changed, one sentence each.
    pub changes: Vec<String>,
}

impl Model {
    /// Examples, links, files and the restore offer.
    pub(super) fn share(&mut self, action: Share) {
        match action {
            Share::LoadPreset(id) => match eda_sim::view::presets::preset(&id).map(|p| Scenario::from_json(p.json)) {
                Some(Ok(scenario)) => {
                    if self.load(scenario, &crate::tr!("error-example-context")) {
                        self.gallery_open = false;
                        self.announcement = crate::tr!("said-loaded", name = self.scenario_title());
                    }
                }
                Some(Err(e)) => {
                    self.error = Some(format!(
                        "{}: {}",
                        crate::tr!("error-example-context"),
                        crate::i18n::errors::scenario(&e)
                    ))
                }
                None => self.error = Some(crate::tr!("error-no-example", id = format!("{id:?}"))),
            },
            Share::OpenLink(link) if eda_sim::view::lesson::is_lesson_link(&link) => self.open_lesson_link(&link),
            Share::OpenLink(link) if eda_sim::view::compare::is_comparison_link(&link) => {
                self.open_comparison_link(&link)
            }
            Share::OpenLink(link) => match eda_sim::view::share::decode(&link) {
                Ok(state) => self.open_shared(state),
                Err(e) => {
                    let error = crate::tr!("error-unchanged", why = crate::i18n::errors::link(&e));
                    self.repaired_link = eda_sim::view::share::repair(&link).map(|(state, changes)| RepairedLink {
                        error: error.clone(),
                        state,
                        changes,
                    });
                    self.error = Some(error);
                }
            },
            Share::OpenRepairedLink if self.repair_offer().is_some() => {
                if let Some(offer) = self.repaired_link.take() {
                    self.error = None;
                    self.open_shared(offer.state);
                    self.announcement = crate::tr!("said-repaired", changes = offer.changes.join("; "));
                }
            }
            Share::ImportFile { name, size_bytes, text } => self.import(&name, size_bytes, text),
            Share::CopyLink => match self.link() {
                Ok(link) => {
                    self.share_link = Some(link);
                    self.announcement = crate::tr!("said-link-made");
                }
                Err(message) => self.error = Some(message),
            },
            Share::ShowGallery(open) => self.gallery_open = open,
            Share::OfferRestore(json) => {
                // Offer only what would load (repaired, if the stricter rules now refuse the saved
                // copy as it is), and only when it differs from what is on screen.
                let (saved, repairs) = match Scenario::from_json(&json) {
                    Ok(saved) => (Some(saved), Vec::new()),
                    Err(_) => match eda_sim::view::repair::repair_text(&json) {
                        Some(repaired) => (Some(repaired.scenario), repaired.changes),
                        None => (None, Vec::new()),
                    },
                };
                if let Some(saved) = saved.filter(|saved| !same_scenario(saved, &self.scenario)) {
                    self.restore_offer = Some(saved);
                    self.restore_repairs = repairs;
                }
            }
            Share::Restore(yes) => {
                if let Some(saved) = self.restore_offer.take() {
                    if yes && self.load(saved, &crate::tr!("error-restore-context")) {
                        self.gallery_open = false;
                        self.announcement = crate::tr!("said-restored", name = self.scenario_title());
                    }
                }
            }
            // No repaired copy on offer.
            Share::OpenRepairedLink => {}
        }
    }

    /// The repaired copy of a refused link, while the alert about that link is showing.
    pub fn repair_offer(&self) -> Option<&RepairedLink> {
        self.repaired_link
            .as_ref()
            .filter(|offer| self.error.as_deref() == Some(offer.error.as_str()))
    }

    /// Replaces everything with a fresh run of `scenario` at time 0, keeping the speed and the
    /// revision counters. On error (`context` says what failed) nothing changes.
    pub(super) fn load(&mut self, scenario: Scenario, context: &str) -> bool {
        match Model::new(scenario) {
            Ok(fresh) => {
                let (speed_index, panel_revision, scenario_revision, edit_revision) = (
                    self.speed_index,
                    self.panel_revision,
                    self.scenario_revision,
                    self.edit_revision,
                );
                let lessons_done = std::mem::take(&mut self.lessons_done);
                let (lessons_done_revision, lang, lang_chosen) =
                    (self.lessons_done_revision, self.lang, self.lang_chosen);
                *self = fresh;
                self.lessons_done = lessons_done;
                self.lessons_done_revision = lessons_done_revision;
                self.lang = lang;
                self.lang_chosen = lang_chosen;
                self.speed_index = speed_index;
                self.edit_revision = edit_revision;
                // Keep counting: panels and caches compare revisions to know they must redraw.
                self.panel_revision = panel_revision + 1;
                self.scenario_revision = scenario_revision + 1;
                true
            }
            Err(e) => {
                self.error = Some(format!("{context}: {e}"));
                false
            }
        }
    }

    /// The scenario's name, or a stand-in.
    pub fn scenario_title(&self) -> String {
        if self.scenario.name.is_empty() {
            crate::tr!("untitled-scenario")
        } else {
            crate::i18n::scenario_words(&self.scenario.name, &self.scenario.description).0
        }
    }

    /// What a share link of this moment carries.
    pub fn shared_state(&self) -> eda_sim::view::share::SharedState {
        let mut state = eda_sim::view::share::SharedState::new(self.scenario.clone());
        let now = self.sim().now();
        state.cursor = (now > SimTime::ZERO).then_some(SimDuration(now.0));
        let events = self.sim().events_processed();
        state.events = (events > 0).then_some(events);
        state.selected = self.selected.clone();
        state.editing = self.editing.as_ref().map(|(kind, name)| format!("{kind}/{name}"));
        state.lang = Some(self.lang.tag().to_string());
        state
    }

    /// Offers `link` to be copied and says so (`made`), or says it is too long to reopen
    /// (`too_long`, a message taking the link's and the limit's lengths).
    pub(super) fn offer_link(&mut self, link: String, too_long: &str, made: &str) {
        let limit = eda_sim::view::share::MAX_LINK_BYTES;
        if link.len() > limit {
            self.error = Some(crate::tr!(too_long, bytes = link.len(), limit = limit));
        } else {
            self.share_link = Some(link);
            self.announcement = crate::tr!(made);
        }
    }

    /// The share link (fragment without `#`) of this moment, or why there is none.
    pub fn link(&self) -> Result<String, String> {
        let link = eda_sim::view::share::encode(&self.shared_state());
        if link.len() > eda_sim::view::share::MAX_LINK_BYTES {
            return Err(crate::tr!(
                "error-link-would-be-long",
                bytes = link.len(),
                limit = eda_sim::view::share::MAX_LINK_BYTES
            ));
        }
        Ok(link)
    }

    /// Opens what a link carries: its scenario, run to its moment, with its selection.
    pub(super) fn open_shared(&mut self, state: eda_sim::view::share::SharedState) {
        if !self.load(state.scenario, &crate::tr!("error-link-context")) {
            return;
        }
        // The sharer's language, unless the reader chose one.
        if let Some(lang) = state.lang.as_deref().and_then(crate::i18n::Lang::from_tag) {
            self.set_language(lang, false);
        }
        self.gallery_open = false;
        // First the exact event (several may share an instant), then the clock if it stood later.
        if let Some(events) = state.events {
            if events > MAX_EVENTS_PER_SEEK {
                self.error = Some(crate::tr!(
                    "error-link-moment-far",
                    events = events,
                    most = MAX_EVENTS_PER_SEEK
                ));
                return;
            }
            if let Err(e) = self.timeline.seek_to_event(events) {
                self.fail(&e);
                return;
            }
        }
        if let Some(cursor) = state.cursor.map(|c| SimTime(c.0)).filter(|c| *c > self.sim().now()) {
            match self.timeline.seek_to_time(cursor, MAX_EVENTS_PER_SEEK) {
                Ok(progress) if !progress.reached => {
                    self.error = Some(crate::tr!(
                        "error-link-moment-ahead",
                        cursor = cursor.to_string(),
                        most = MAX_EVENTS_PER_SEEK,
                        at = self.sim().now().to_string()
                    ))
                }
                Ok(_) => {}
                Err(e) => self.fail(&e),
            }
        }
        self.selected = state
            .selected
            .into_iter()
            .filter(|n| self.sim().entity_id(n).is_some())
            .collect();
        // "kind/name"; a bare name (no known kind before the slash) is looked up among entities.
        self.editing = state.editing.and_then(|editing| {
            let (kind, name) = match editing.split_once('/') {
                Some((kind, name)) if builder::kind(kind).is_some() => (builder::kind(kind)?, name.to_string()),
                _ => (builder::kind_of(&self.scenario, &editing)?, editing),
            };
            builder::items(&self.scenario)
                .iter()
                .any(|i| i.kind.id == kind.id && i.name == name)
                .then(|| (kind.id.to_string(), name))
        });
        self.announcement = crate::tr!(
            "said-opened-link",
            name = self.scenario_title(),
            at = self.sim().now().to_string()
        );
    }

    /// Loads a scenario file the user picked or dropped; every way it can be wrong is named.
    pub(super) fn import(&mut self, name: &str, size_bytes: u64, text: Option<String>) {
        match Scenario::read_file(size_bytes, text.as_deref()) {
            Ok(scenario) => {
                if self.load(scenario, &crate::tr!("error-import-context", name = name.to_string())) {
                    self.edit_revision += 1; // an imported file becomes the working scenario
                    self.gallery_open = false;
                    self.announcement =
                        crate::tr!("said-imported", name = self.scenario_title(), file = name.to_string());
                }
            }
            Err(why) => {
                self.error = Some(crate::tr!(
                    "error-not-imported",
                    name = name.to_string(),
                    why = crate::i18n::errors::scenario_file(&why)
                ))
            }
        }
    }
}
