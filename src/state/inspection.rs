//! Reading the run: the event log's rows and filters, and the inspector (a record's or a
//! message's whole causal path).

use super::*;

impl Model {
    /// The log's filters and the inspector.
    pub(super) fn inspect(&mut self, action: Inspect) {
        match action {
            Inspect::CloseInspector => self.inspected = None,
            Inspect::FilterLog { entity, text } => {
                self.log_entity = entity;
                self.log_text = text;
            }
            Inspect::SeekToRecord(index) => {
                self.playing = false;
                self.behind = false;
                let event = self.timeline.event_of_record(index);
                match self.timeline.seek_to_event(event) {
                    Ok(()) => {
                        if let Some(record) = self.timeline.record(index) {
                            // Its whole path so far, across patterns through causes.
                            let path = eda_sim::trace::causal_path_from(
                                self.timeline.records(),
                                self.timeline.records_start(),
                                index,
                            );
                            self.inspected = Some((index, path));
                            let row = LogRow::of(self.sim(), index, record);
                            self.selected = [row.from.clone(), row.to.clone()]
                                .into_iter()
                                .filter(|n| n != "—")
                                .collect();
                            self.announcement = crate::tr!(
                                "said-moved-to-record",
                                at = row.time.clone(),
                                what = row.what.clone(),
                                event = row.event.clone(),
                                from = row.from.clone(),
                                to = row.to.clone()
                            );
                        }
                    }
                    Err(e) => self.fail(&e),
                }
            }
            Inspect::InspectMessage(key) => {
                let (records, start) = (self.timeline.records(), self.timeline.records_start());
                match records.iter().rposition(|r| r.kind.message_key() == Some(key)) {
                    Some(at) => {
                        let index = start + at;
                        let path = eda_sim::trace::causal_path_from(records, start, index);
                        let row = LogRow::of(self.sim(), index, &records[at]);
                        self.selected = [row.from.clone(), row.to.clone()]
                            .into_iter()
                            .filter(|n| n != "—")
                            .collect();
                        self.announcement = crate::tr!(
                            "said-inspecting",
                            event = row.event.clone(),
                            what = row.what.clone(),
                            from = row.from.clone(),
                            to = row.to.clone(),
                            count = path.len()
                        );
                        self.inspected = Some((index, path));
                    }
                    None => self.announcement = crate::tr!("said-no-record-yet"),
                }
            }
        }
    }

    /// What happened last, up to the cursor, in words (for presentation mode).
    pub fn latest_happening(&self) -> Option<String> {
        let (records, start) = (self.timeline.records(), self.timeline.records_start());
        let record = records.last()?;
        let row = LogRow::of(self.sim(), start + records.len() - 1, record);
        let route = match (row.from.is_empty(), row.to.is_empty()) {
            (false, false) => format!(" — {} → {}", row.from, row.to),
            (false, true) => format!(" — {}", row.from),
            _ => String::new(),
        };
        Some(format!("{} {}{route}", row.what, row.event))
    }

    /// The newest records up to the cursor that pass the log's filters, newest first (a
    /// filter searches at most the newest [`LOG_SEARCH_DEPTH`] records).
    pub fn log_rows(&self) -> Vec<LogRow> {
        let (records, start) = (self.timeline.records(), self.timeline.records_start());
        let needle = self.log_text.trim().to_ascii_lowercase();
        let filtering = !needle.is_empty() || !self.log_entity.is_empty();
        let rows = LOG_ROWS;
        let depth = if filtering { LOG_SEARCH_DEPTH } else { rows };
        // The entity filter compares ids before any text is built.
        let entity = (!self.log_entity.is_empty()).then(|| self.sim().entity_id(&self.log_entity));
        records
            .iter()
            .enumerate()
            .rev()
            .take(depth)
            .filter(|(_, r)| match entity {
                None => true,
                Some(None) => false,
                Some(Some(id)) => {
                    let (from, to) = r.kind.endpoints();
                    from == id || to == Some(id)
                }
            })
            .map(|(i, r)| LogRow::of(self.sim(), start + i, r))
            .filter(|row| {
                needle.is_empty()
                    || [&row.what, &row.event, &row.from, &row.to]
                        .iter()
                        .any(|f| f.to_ascii_lowercase().contains(&needle))
            })
            .take(rows)
            .collect()
    }
}

/// One row of the event log, ready to display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    /// The record's index in the run's history.
    pub index: usize,
    pub time: String,
    /// The same instant to the microsecond, for a hover.
    pub time_exact: String,
    pub what: String,
    pub event: String,
    pub from: String,
    pub to: String,
}

impl LogRow {
    pub fn of(sim: &Sim, index: usize, record: &eda_sim::TraceRecord) -> LogRow {
        let kind = &record.kind;
        let event = crate::i18n::records::subject(kind, sim);
        let (from, to) = kind.endpoints();
        LogRow {
            index,
            time: crate::human_time::clock(record.time),
            time_exact: crate::human_time::exact(record.time),
            what: crate::i18n::records::verb(kind),
            event,
            from: sim.entity_name(from).to_string(),
            to: to.map(|t| sim.entity_name(t).to_string()).unwrap_or_else(|| "—".into()),
        }
    }
}
