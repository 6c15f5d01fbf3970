//! Sharing and keeping scenarios: the gallery of built-in scenarios, Copy link (and the address
//! bar that follows the scenario), Export and Import of scenario files (picker and drag and
//! drop), autosave to local storage with an offer to restore it. What a link or a file may
//! hold, and every message about a bad one, comes from the model and `eda_sim::view::share`.

use crate::shared::SlowPanelProps as PanelProps;
use crate::state::Share;
use crate::state::{Action, Playground, MAX_IMPORT_BYTES};
use gloo::events::EventListener;
use gloo::storage::{LocalStorage, Storage};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Where the working scenario is saved between visits.
pub const AUTOSAVE_KEY: &str = "eda-playground.autosave";

/// Opens a link given in the address, or offers the autosave and the gallery; follows later
/// changes of the address; keeps the address and the autosave up to date with the scenario.
#[hook]
pub fn use_links_and_autosave(state: &UseReducerHandle<Playground>, dispatch: Callback<Action>) {
    // On first render: a link wins; otherwise offer what was saved, and show the gallery.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            // The language first: the user's choice, else the browser's (a link's comes with it).
            let chosen = LocalStorage::raw()
                .get_item(crate::i18n::CHOICE_KEY)
                .ok()
                .flatten()
                .and_then(|tag| crate::i18n::Lang::from_tag(&tag));
            match chosen {
                Some(lang) => dispatch.emit(Action::SetLanguage { lang, chosen: true }),
                None => {
                    let navigator = gloo::utils::window().navigator();
                    let browser = js_sys::Array::from(&navigator.languages())
                        .iter()
                        .filter_map(|tag| tag.as_string())
                        .chain(navigator.language())
                        .find_map(|tag| crate::i18n::Lang::from_tag(&tag));
                    if let Some(lang) = browser {
                        dispatch.emit(Action::SetLanguage { lang, chosen: false });
                    }
                }
            }
            let hash = gloo::utils::window().location().hash().unwrap_or_default();
            if hash.len() > 1 {
                dispatch.emit(Action::Share(Share::OpenLink(hash)));
            } else {
                if let Ok(Some(saved)) = LocalStorage::raw().get_item(AUTOSAVE_KEY) {
                    dispatch.emit(Action::Share(Share::OfferRestore(saved)));
                }
                dispatch.emit(Action::Share(Share::ShowGallery(true)));
            }
        });
    }
    // A link pasted into the address bar of an open page.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let hash = gloo::utils::window().location().hash().unwrap_or_default();
                if hash.len() > 1 {
                    dispatch.emit(Action::Share(Share::OpenLink(hash)));
                }
            });
            move || drop(listener)
        });
    }
    // Every change of the scenario: the address bar (replaced, not pushed).
    // (Also when a lesson or a comparison starts or ends: the address then carries another kind of link.)
    let (revision, edits, kind) = {
        let model = state.model.borrow();
        (
            model.scenario_revision,
            model.edit_revision,
            (model.lesson.is_some(), model.comparison.is_some()),
        )
    };
    let model = Rc::clone(&state.model);
    use_effect_with((revision, kind), move |(revision, _)| {
        // Revision 0 is the page as it opened: nothing was changed yet.
        if *revision > 0 {
            if let Ok(link) = model.borrow().address_link() {
                show_in_address_bar(&link);
            }
        }
    });
    // When paused, the address carries the moment on screen too, so copying it from the
    // browser shares what Copy link would.
    let moment = {
        let model = state.model.borrow();
        (
            model.playing,
            model.sim().events_processed(),
            model.sim().now(),
            model.selected.clone(),
        )
    };
    let model = Rc::clone(&state.model);
    use_effect_with(moment, move |(playing, events, _, _)| {
        if !*playing && (*events > 0 || model.borrow().scenario_revision > 0) {
            if let Ok(link) = model.borrow().address_link() {
                show_in_address_bar(&link);
            }
        }
    });
    // Every edit of the working scenario: the autosave.
    let model = Rc::clone(&state.model);
    use_effect_with(edits, move |edits| {
        if *edits > 0 {
            let _ = LocalStorage::raw().set_item(AUTOSAVE_KEY, &model.borrow().scenario.to_json_pretty());
        }
    });
}

/// Reads a file the user gave (picked or dropped) and hands it to the model; files over the
/// import limit are refused unread.
fn import_file(file: web_sys::File, dispatch: Callback<Action>, pending: PendingImport) {
    read_file(file, dispatch, pending, |name, size_bytes, text| {
        Action::Share(Share::ImportFile { name, size_bytes, text })
    });
}

/// Reads a file the user gave and hands `action(name, size, text)` to the model (`text` is
/// `None` when unreadable, or unread when over the import limit).
pub fn read_file(
    file: web_sys::File,
    dispatch: Callback<Action>,
    pending: PendingImport,
    action: fn(String, u64, Option<String>) -> Action,
) {
    let name = file.name();
    let size_bytes = file.size() as u64;
    if size_bytes > MAX_IMPORT_BYTES {
        dispatch.emit(action(name, size_bytes, None));
        return;
    }
    let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
    let done = pending.clone();
    let reader = gloo::file::callbacks::read_as_text(&blob, move |result| {
        dispatch.emit(action(name, size_bytes, result.ok()));
        done.borrow_mut().take();
    });
    *pending.borrow_mut() = Some(reader);
}

/// A scenario file being read (dropping the reader cancels the read).
pub type PendingImport = Rc<RefCell<Option<gloo::file::callbacks::FileReader>>>;

/// Lets the whole page take a dropped scenario file. Also returns the file being read, which
/// the Import button shares: a new import replaces one still being read.
#[hook]
pub fn use_drop_import(dispatch: Callback<Action>) -> (Callback<DragEvent>, Callback<DragEvent>, PendingImport) {
    let pending = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let reading = pending.clone();
    let on_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        let file = e.data_transfer().and_then(|d| d.files()).and_then(|files| files.get(0));
        if let Some(file) = file {
            import_file(file, dispatch.clone(), pending.clone());
        }
    });
    (on_over, on_drop, reading)
}

/// Copy link, Export scenario, Import scenario, and the link made last. A plain function, not a
/// component (one of its own cost about 1 KB of the wasm); `pending` is the page's file read.
pub fn share_bar(props: &PanelProps, pending: &PendingImport) -> Html {
    let model = props.state.model.borrow();
    let pending = pending.clone();
    let on_copy = copy_link_on_click(&props.dispatch, &props.state, Action::Share(Share::CopyLink));
    let on_export = {
        let state = props.state.clone();
        Callback::from(move |_: MouseEvent| {
            let model = state.model.borrow();
            let file = format!("{}.json", file_stem(&model.scenario.name));
            if let Err(error) =
                crate::export::download_text(&model.scenario.to_json_pretty(), "application/json", &file)
            {
                web_sys::console::warn_2(&"The export failed:".into(), &error);
            }
        })
    };
    let on_import = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                import_file(file, dispatch.clone(), pending.clone());
            }
            // The same file may be picked again after fixing it.
            input.set_value("");
        })
    };
    html! {
        <div class="share-bar" role="group" aria-label={crate::tr!("share-and-files")}>
            <button type="button" onclick={on_copy}>{ crate::tr!("copy-link") }</button>
            <button type="button" onclick={on_export}>{ crate::tr!("export-scenario") }</button>
            // Not while following a lesson: its goals are about the lesson's own scenario.
            if model.comparison.is_none() && model.lesson.is_none() {
                <button type="button" title={crate::tr!("compare-with-variant-title")}
                    onclick={props.dispatch.reform(|_| Action::Compare(crate::state::CompareAction::Start))}>{ crate::tr!("compare-with-variant") }</button>
            }
            <label class="import">{ crate::tr!("import-scenario") }
                <input type="file" accept=".json,application/json" onchange={on_import} />
            </label>
            if let Some(link) = &model.share_link {
                <label class="share-link">{ crate::tr!("share-link") }
                    <input type="text" readonly=true value={share_url(link)}
                        onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<web_sys::HtmlInputElement>().select())} />
                </label>
            }
        </div>
    }
}

/// A button's click that asks for a link (`ask`: the scenario's, the lesson step's or the
/// comparison's) and, once the reducer made one, shows it in the address bar and copies it.
pub fn copy_link_on_click(dispatch: &Callback<Action>, state: &Playground, ask: Action) -> Callback<MouseEvent> {
    let (dispatch, state) = (dispatch.clone(), state.clone());
    Callback::from(move |_: MouseEvent| {
        dispatch.emit(ask.clone());
        if let Some(link) = &state.model.borrow().share_link {
            show_in_address_bar(link);
            copy_to_clipboard(&share_url(link));
        }
    })
}

/// Puts the link in the address bar, replacing the current entry (no history is added).
pub fn show_in_address_bar(link: &str) {
    let _ = gloo::utils::window()
        .history()
        .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{link}"))));
}

/// The page's address with `#link` as its fragment.
pub fn share_url(link: &str) -> String {
    let location = gloo::utils::window().location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_else(|_| "/".into())
    );
    format!("{base}#{link}")
}

/// A file name from a scenario name: letters, digits and dashes.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if stem.is_empty() {
        "scenario".into()
    } else {
        stem.chars().take(60).collect()
    }
}

/// Writes to the clipboard when the page may; the link stays in the Share link field either way.
pub fn copy_to_clipboard(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let promise = clipboard.write_text(text);
    // A refusal (no permission) is not an error of the page: the field shows the link.
    let ignore = wasm_bindgen::closure::Closure::once(|_: wasm_bindgen::JsValue| {});
    let _ = promise.catch(&ignore);
    // The handler must outlive this call; it is a few bytes, once per copy.
    ignore.forget();
}

/// The built-in scenarios, each with its title and two lines on what it shows. A plain
/// function, not a component: it draws nothing while closed, and a component of its own cost
/// about 1 KB of the wasm.
pub fn gallery(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    if !model.gallery_open {
        return html! {};
    }
    html! {
        <section class="gallery" aria-labelledby="gallery-heading">
            <div class="gallery-header">
                <h2 id="gallery-heading">{ crate::tr!("gallery-heading") }</h2>
                <button type="button" onclick={props.dispatch.reform(|_| Action::Share(Share::ShowGallery(false)))}>{ crate::tr!("close-gallery") }</button>
            </div>
            <ul class="gallery-cards">
                { for eda_sim::view::presets::PRESETS.iter().map(|p| {
                    let id = p.id.to_string();
                    let title = crate::tr!(&format!("preset-{}", p.id));
                    html! {
                        <li class="gallery-card">
                            <h3>{ title.clone() }</h3>
                            <p class="pattern">{ crate::tr!(crate::i18n::pattern_message(p.pattern)) }</p>
                            <p>{ crate::tr!(&format!("preset-{}-summary", p.id)) }</p>
                            <button type="button" aria-label={crate::tr!("open-example", title = title)}
                                onclick={props.dispatch.reform(move |_| Action::Share(Share::LoadPreset(id.clone())))}>{ crate::tr!("open") }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The offer to bring back the scenario of an earlier visit (a plain function, like
/// [`gallery`]).
pub fn restore_offer(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let Some(saved) = &model.restore_offer else {
        return html! {};
    };
    let title = if saved.name.is_empty() {
        crate::tr!("restore-untitled")
    } else {
        format!("\u{201c}{}\u{201d}", saved.name)
    };
    html! {
        <section class="restore" aria-labelledby="restore-heading">
            <h2 id="restore-heading">{ crate::tr!("restore-heading") }</h2>
            <p>{ crate::tr!("restore-text", title = title, entities = saved_entities(saved)) }</p>
            if !model.restore_repairs.is_empty() {
                <p>{ crate::tr!("restore-repaired", changes = model.restore_repairs.join("; ")) }</p>
            }
            <button type="button" onclick={props.dispatch.reform(|_| Action::Share(Share::Restore(true)))}>{ crate::tr!("restore") }</button>
            <button type="button" onclick={props.dispatch.reform(|_| Action::Share(Share::Restore(false)))}>{ crate::tr!("restore-no") }</button>
        </section>
    }
}

fn saved_entities(scenario: &eda_sim::Scenario) -> usize {
    eda_sim::view::builder::items(scenario)
        .iter()
        .filter(|i| i.kind.id != "event-type")
        .count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_come_from_scenario_names() {
        assert_eq!(
            super::file_stem("Order system: all five together"),
            "order-system-all-five-together"
        );
        assert_eq!(super::file_stem(""), "scenario");
        assert_eq!(super::file_stem("→ ←"), "scenario");
    }
}
