//! What every panel reads: the playground's state and the way to act on it. The page provides
//! it as two Yew contexts, so no panel needs props from the page: one that changes on every
//! frame while playing (the clock, the moving messages), one that changes only when the
//! detailed panels should redraw (a few times a second while playing, on every action).

use crate::state::{Action, Playground};
use yew::prelude::*;

/// What the detailed panels read: like [`PanelProps`], but equal as long as the model's
/// `panel_revision` is, so that while playing they redraw a few times a second, not every frame.
#[derive(Clone)]
pub struct SlowPanelProps {
    pub state: Playground,
    pub dispatch: Callback<Action>,
    pub panel_revision: u64,
}

impl PartialEq for SlowPanelProps {
    fn eq(&self, other: &Self) -> bool {
        // The dispatch callback is rebuilt on each render but always reaches the same reducer.
        self.panel_revision == other.panel_revision && std::rc::Rc::ptr_eq(&self.state.model, &other.state.model)
    }
}

/// What the panels that follow every frame read: the state (compared by revision) and the way to act on it.
#[derive(PartialEq, Clone)]
pub struct PanelProps {
    pub state: Playground,
    pub dispatch: Callback<Action>,
}

/// The detailed panels' context (see [`SlowPanelProps`]).
#[hook]
pub fn use_panels() -> SlowPanelProps {
    use_context::<SlowPanelProps>().expect("the page provides the panels' context")
}

/// The every-frame context (see [`PanelProps`]).
#[hook]
pub fn use_frame() -> PanelProps {
    use_context::<PanelProps>().expect("the page provides the frame's context")
}
