//! A small deterministic random number generator for noise and per-voice variation.

/// Xorshift-style 32-bit generator (xorshift32 with a splitmix-style seed scramble).
///
/// Deterministic: the same seed gives the same sequence on every platform.
///
/// ```
/// use tactus_dsp::rng::Rng;
/// let mut a = Rng::new(7);
/// let mut b = Rng::new(7);
/// assert_eq!(a.next_u32(), b.next_u32());
/// let x = a.next_bipolar();
/// assert!((-1.0..=1.0).contains(&x));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rng {
    state: u32,
}

impl Rng {
    /// A generator seeded with `seed` (any value, including 0).
    pub fn new(seed: u32) -> Self {
        // scramble so that nearby seeds give unrelated sequences; never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9);
        z = (z ^ (z >> 16)).wrapping_mul(0x85EB_CA6B);
        z = (z ^ (z >> 13)).wrapping_mul(0xC2B2_AE35);
        z ^= z >> 16;
        Self {
            state: if z == 0 { 0x6D2B_79F5 } else { z },
        }
    }
    /// Next raw 32-bit value.
    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.state = x;
        x
    }
    /// Uniform in `[0, 1)`.
    #[inline]
    pub fn next_unit(&mut self) -> f32 {
        (self.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0)
    }
    /// Uniform in `[-1, 1)`.
    #[inline]
    pub fn next_bipolar(&mut self) -> f32 {
        self.next_unit() * 2.0 - 1.0
    }
}
