//! What a listener in another process suffered on its link from the bus, in the Listeners panel
//! (listeners have no entity card): each nonzero count of lost, doubled, late or cut-off copies
//! opens the records behind it in the event log, and a button cuts the listener off the network
//! or reconnects it.

use super::entities::{network_toggle, records_of, styled_button};
use crate::state::{Action, Edit, Inspect};
use eda_sim::patterns::event_bus::Listener;
use eda_sim::{EntityKind, Sim};
use yew::prelude::*;

/// The listener's link counters (when its link is faulty or a partition stopped a copy) and its
/// Cut off / Reconnect button.
pub fn listener_faults(dispatch: &Callback<Action>, sim: &Sim, name: &str, l: &Listener) -> Html {
    let counts = [
        ("link_lost", "listener-link-lost", l.link_lost),
        ("link_doubled", "listener-link-doubled", l.link_doubled),
        ("reordered", "listener-link-reordered", l.reordered),
        ("duplicates", "listener-link-twice", l.duplicates),
        ("unreachable", "listener-link-unreachable", l.unreachable),
    ];
    let shown = !l.link.is_perfect() || l.unreachable > 0;
    let counters = counts
        .iter()
        .filter(|(_, _, n)| shown && *n > 0)
        .map(|&(counter, words, n)| {
            let words = crate::tr!(words);
            let needle = records_of(EntityKind::Listener, counter).map_or(String::new(), |(needle, _)| needle);
            let filter = Action::Inspect(Inspect::FilterLog {
                entity: name.to_string(),
                text: needle.clone(),
            });
            html! {
                <button type="button" class="counter-link" title={crate::tr!("show-records")}
                    aria-label={crate::tr!("show-records-name", words = words.clone(), count = n, name = name.to_string())}
                    onclick={dispatch.reform(move |_| filter.clone())}>{ format!("{words} {n}") }</button>
            }
        });
    let cut = sim.entity_id(name).is_some_and(|id| sim.network_side(id) != 0);
    let toggle = network_toggle(sim, name).map(|command| {
        let run = dispatch.reform(move |_| Action::Edit(Edit::RunCommand(command.clone())));
        if cut {
            styled_button(
                None,
                "card-reconnect",
                crate::tr!("card-reconnect-name", name = name.to_string()),
                run,
            )
        } else {
            styled_button(
                Some("fault"),
                "card-cut-off",
                crate::tr!("card-cut-off-name", name = name.to_string()),
                run,
            )
        }
    });
    html! {
        <p class="entity-stats link-faults">
            if shown { <span>{ crate::tr!("listener-link", link = crate::i18n::core_words::link_faults(&l.link)) }</span> }
            { for counters }
            { for toggle }
        </p>
    }
}
