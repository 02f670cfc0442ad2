//! Continuous patches: buses (`bus "name" $ ...`) and drones (`drone "name" $ ...`).
//!
//! ```text
//!  control side                                   audio side
//!  Program --DroneFeed::build--> Box<DroneSet> ---swap queue--->  DroneRack::install
//!           (compile against the layouts          (at its frame)   (adopt state of unchanged
//!            of the set playing)                 <--return lane--   modules, glide constants)
//!  DroneFeed::changes: pattern sources            SlotChange ring   DroneSet::process per
//!  queried ahead -> Copy SlotChange {frame,   ------------------>   64-frame block: buses
//!  generation, slot, value}                                          first, then drones
//! ```
//!
//! The same two halves run offline ([`crate::render::drones::Drones`]) and in real time
//! ([`crate::realtime`]), so both render the same samples.

pub mod feed;
pub mod set;

pub use feed::DroneFeed;
pub use set::{ChangeList, ChangeSource, DroneRack, DroneSet, SlotChange};
