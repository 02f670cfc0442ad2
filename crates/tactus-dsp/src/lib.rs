//! tactus-dsp: block-based real-time DSP (docs filled in below as the crate grows).

pub mod denormal;
pub mod math;
pub mod rng;
pub mod unit;
pub mod units;

pub use denormal::ScopedFlushDenormals;

/// Largest number of frames processed in one call to a unit.
pub const MAX_BLOCK: usize = 64;
