//! EDA Playground's user interface (Yew). Only this crate touches the DOM; every rule of the
//! simulation lives in `eda-sim`, and every rule of the page's state in [`state`].

pub mod app;
pub mod components;
pub mod export;
pub mod playback;
pub mod state;

pub use app::App;

/// Shows a visible message in the page if the program panics, instead of a silently dead UI.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| show_crash(&info.to_string())));
}

/// Puts the crash panel (an `alertdialog` with the message and a reload button) on the page.
pub fn show_crash(message: &str) {
    web_sys::console::error_1(&format!("EDA Playground crashed: {message}").into());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(panel), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    panel.set_id("crash");
    let _ = panel.set_attribute("role", "alertdialog");
    let _ = panel.set_attribute("aria-label", "The playground crashed");
    panel.set_inner_html(
        "<h2>The playground crashed</h2>\
         <p>An internal error stopped the simulation. Reloading the page starts it again.</p>\
         <pre></pre>\
         <button type=\"button\" onclick=\"location.reload()\">Reload the page</button>",
    );
    if let Ok(Some(pre)) = panel.query_selector("pre") {
        pre.set_text_content(Some(message));
    }
    let _ = body.append_child(&panel);
}
