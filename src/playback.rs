//! Real-time pacing: while the playground plays, each animation frame reports how much wall
//! time passed, and the reducer turns it into virtual time × speed (bounded per frame).

use crate::state::Playback;
use crate::state::{Action, Playground};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Requests one animation frame after every render while playing; the frame dispatches a
/// `Tick`, whose re-render requests the next. Pausing (or unmounting) cancels the pending frame.
#[hook]
pub fn use_playback(state: &UseReducerHandle<Playground>) {
    // Frames come while playing, and while a long jump is on its way.
    let playing = state.model.borrow().frames_wanted();
    let last_frame_ms: Rc<RefCell<Option<f64>>> = use_mut_ref(|| None);
    let dispatcher = state.dispatcher();
    use_effect_with((playing, state.revision), move |(playing, _)| {
        let frame = if *playing {
            Some(gloo::render::request_animation_frame(move |timestamp_ms| {
                let previous = last_frame_ms.borrow_mut().replace(timestamp_ms);
                let wall_ms = previous.map(|p| timestamp_ms - p).unwrap_or(0.0);
                dispatcher.dispatch(Action::Playback(Playback::Tick { wall_ms }));
            }))
        } else {
            last_frame_ms.borrow_mut().take();
            None
        };
        move || drop(frame)
    });
}
