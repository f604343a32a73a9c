//! What agents and their team leads read about their service as stored: figures, the agent's
//! evaluations, improvement plans and callback tasks.

mod callbacks;
mod coaching;
mod figures;
mod items;
mod plans;

pub(crate) use callbacks::*;
pub(crate) use coaching::*;
pub(crate) use figures::*;
pub(crate) use items::*;
pub(crate) use plans::*;
