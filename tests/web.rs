//! Browser tests (wasm-bindgen-test in headless Chromium): the app mounted in a real DOM does
//! what the simulation core says, and the core computes the same trace hash in wasm as natively.
#![cfg(target_arch = "wasm32")]

use eda_playground::App;
use eda_sim::view::presets;
use eda_sim::{format_hash, Scenario, Sim, SimTime};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount() -> Element {
    // A paused page puts its moment in the address; each test starts from a clean one.
    let window = web_sys::window().unwrap();
    let _ = window.history().unwrap().replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some(&format!(
            "{}{}",
            window.location().pathname().unwrap(),
            window.location().search().unwrap()
        )),
    );
    let document = window.document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn button(root: &Element, name: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no button named {name}"))
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn log_rows(root: &Element) -> Vec<String> {
    let rows = root.query_selector_all(".event-log tbody tr").unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|r| r.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn pressing_step_shows_exactly_what_the_simulation_did() {
    let root = mount().await;
    let scenario = Scenario::from_json(presets::ORDER_EVENTS_SMS).unwrap();
    let mut expected = Sim::new(&scenario).unwrap();
    assert_eq!(text(&root, ".clock-value"), "0 s");
    assert!(log_rows(&root).is_empty());

    for step in 1..=4 {
        button(&root, "Step").click();
        yew::scheduler::flush().await;
        expected.step().unwrap();
        assert_eq!(
            text(&root, ".clock-value"),
            eda_playground::human_time::clock(expected.now())
        );
        let rows = log_rows(&root);
        assert_eq!(rows.len(), expected.trace().len());
        let newest = expected.trace().records().last().unwrap();
        assert!(
            rows[0].starts_with(&eda_playground::human_time::clock(newest.time)),
            "{:?}",
            rows[0]
        );
        assert!(rows[0].contains(newest.kind.verb()), "{:?}", rows[0]);
        if step == 2 {
            // The second step is the OrderCreated copy reaching the SMS listener (5 ms dispatch).
            assert_eq!(expected.now(), SimTime(5_000));
            assert!(rows
                .iter()
                .any(|r| r.contains("Delivered") && r.contains("OrderCreated #0") && r.ends_with("sms")));
            let sms = root
                .query_selector("g.node[data-entity=\"sms\"]")
                .unwrap()
                .expect("the sms node");
            let label = sms.get_attribute("aria-label").unwrap_or_default();
            assert!(label.starts_with("listener sms: 1 delivered"), "{label}");
        }
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn reset_returns_the_page_to_time_zero() {
    let root = mount().await;
    for _ in 0..3 {
        button(&root, "Step").click();
    }
    yew::scheduler::flush().await;
    assert_eq!(log_rows(&root).len(), 5);
    button(&root, "Reset").click();
    yew::scheduler::flush().await;
    assert_eq!(text(&root, ".clock-value"), "0 s");
    assert!(log_rows(&root).is_empty());
    root.remove();
}

#[wasm_bindgen_test]
fn the_core_computes_the_same_golden_hash_in_wasm_as_natively() {
    let scenario = Scenario::from_json(presets::ORDER_EVENTS_SMS).unwrap();
    let mut sim = Sim::new(&scenario).unwrap();
    sim.run_until(SimTime(10_000_000)).unwrap();
    assert_eq!(
        format_hash(sim.trace_hash()),
        include_str!("golden/order-events-sms.hash").trim()
    );
}

#[wasm_bindgen_test]
fn every_preset_has_the_same_golden_hash_in_wasm_as_natively() {
    let golden = [
        ("order-events-sms", include_str!("golden/order-events-sms.hash")),
        ("topics", include_str!("golden/topics.hash")),
        ("queues", include_str!("golden/queues.hash")),
        ("delivery-guarantees", include_str!("golden/delivery-guarantees.hash")),
        ("producer-acks", include_str!("golden/producer-acks.hash")),
        ("dual-write-outbox", include_str!("golden/dual-write-outbox.hash")),
        (
            "exactly-once-transactions",
            include_str!("golden/exactly-once-transactions.hash"),
        ),
        ("network-partition", include_str!("golden/network-partition.hash")),
        ("request-reply", include_str!("golden/request-reply.hash")),
        ("service-discovery", include_str!("golden/service-discovery.hash")),
        ("event-sourcing", include_str!("golden/event-sourcing.hash")),
        ("order-system", include_str!("golden/order-system.hash")),
    ];
    assert_eq!(golden.len(), presets::PRESETS.len());
    for (id, hash) in golden {
        let preset = presets::preset(id).unwrap();
        assert_eq!(format_hash(presets::golden_hash(preset).unwrap()), hash.trim(), "{id}");
    }
}

#[wasm_bindgen_test]
fn a_share_link_made_natively_opens_in_wasm_with_the_same_scenario() {
    let frozen = include_str!("fixtures/links/v1-order-system.txt");
    let state = eda_sim::view::share::decode(frozen).unwrap();
    assert_eq!(
        state.scenario,
        Scenario::from_json(presets::preset("order-system").unwrap().json).unwrap()
    );
    assert_eq!(
        eda_sim::view::share::decode(&eda_sim::view::share::encode(&state)).unwrap(),
        state
    );
}
