//! The panels of the page. Each reads the model from the page's context ([`crate::shared`]) and
//! emits [`crate::state::Action`]s; none holds a rule of its own.

pub mod builder;
pub mod charts;
pub mod compare;
pub mod diagram;
pub mod editor;
pub mod entities;
pub mod event_log;
pub mod inspector;
pub mod lanes;
pub mod lesson;
pub mod listener_faults;
pub mod replay;
pub mod share;
pub mod theory;
pub mod toolbar;

/// The button beside a panel's heading that folds the panel away or opens it again ("Collapse
/// panel", "Expand panel": found within the panel's region); and whether the panel is folded.
pub fn fold_button(
    dispatch: &yew::Callback<crate::state::Action>,
    model: &crate::state::Model,
    id: &'static str,
    title: &str,
) -> (yew::Html, bool) {
    use yew::html;
    let folded = model.collapsed.iter().any(|c| c == id);
    let button = html! {
        <button type="button" class="panel-fold" aria-expanded={(!folded).to_string()}
            // Named without the panel's title, which other buttons' names may contain ("Replay").
            aria-label={if folded { crate::tr!("expand-panel") } else { crate::tr!("collapse-panel") }}
            title={if folded { crate::tr!("show-panel", title = title.to_string()) } else { crate::tr!("hide-panel", title = title.to_string()) }}
            onclick={dispatch.reform(move |_| crate::state::Action::TogglePanel(id.to_string()))}>
            { if folded { "▸" } else { "▾" } }
        </button>
    };
    (button, folded)
}

/// A `class` attribute from the classes that apply, as one string. Yew's `classes!` builds a
/// set type with hashing for the same job (about 2 KB gzip of the wasm for a handful of uses).
pub fn class_list(classes: &[Option<&str>]) -> String {
    let mut list = String::new();
    for class in classes.iter().flatten().filter(|c| !c.is_empty()) {
        if !list.is_empty() {
            list.push(' ');
        }
        list.push_str(class);
    }
    list
}
