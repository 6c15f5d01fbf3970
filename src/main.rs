//! Entry point of the web app: install the crash reporter, then render the playground.

fn main() {
    // Every build, the release one included, leaves a panic's message for the crash panel.
    eda_playground::install_panic_hook();
    // The page's static "loading" notice has done its job once the program runs.
    if let Some(boot) = gloo::utils::document().get_element_by_id("boot") {
        boot.remove();
    }
    yew::Renderer::<eda_playground::App>::new().render();
}
