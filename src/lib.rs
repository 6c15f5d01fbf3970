//! EDA Playground's user interface (Yew). Only this crate touches the DOM; every rule of the
//! simulation lives in `eda-sim`, and every rule of the page's state in [`state`].

pub mod app;
pub mod components;
pub mod playback;
pub mod state;

pub use app::App;

/// Shows a visible message in the page if the program panics, instead of a silently dead UI.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("EDA Playground crashed: {message}").into());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let (Ok(panel), Some(body)) = (document.create_element("div"), document.body()) {
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
                    pre.set_text_content(Some(&message));
                }
                let _ = body.append_child(&panel);
            }
        }
    }));
}
