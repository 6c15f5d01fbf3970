//! Entry point of the web app: install the crash reporter, then render the playground.

fn main() {
    eda_playground::install_panic_hook();
    yew::Renderer::<eda_playground::App>::new().render();
}
