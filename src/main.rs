//! Entry point of the web app: install the crash reporter, then render the playground.

fn main() {
    // Builds that panic with a message (not the release build, which stops at a panic with a
    // trap: see scripts/release-env.sh) leave it for the page's crash panel.
    #[cfg(any(panic = "unwind", panic = "abort"))]
    eda_playground::install_panic_hook();
    // The page's static "loading" notice has done its job once the program runs.
    if let Some(boot) = gloo::utils::document().get_element_by_id("boot") {
        boot.remove();
    }
    yew::Renderer::<eda_playground::App>::new().render();
}
