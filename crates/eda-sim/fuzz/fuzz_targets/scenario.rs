//! Fuzzes the scenario loader and, for what loads, a short run: any text is either refused
//! with problems or runs without panicking (every limit is a typed error).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = eda_sim::Scenario::from_json(text) else {
        return;
    };
    if let Ok(mut sim) = eda_sim::Sim::new(&scenario) {
        let _ = sim.run_until_budget(eda_sim::SimTime(2_000_000), 20_000);
    }
});
