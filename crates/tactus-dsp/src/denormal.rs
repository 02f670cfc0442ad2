//! Flushing denormal floats to zero for the duration of a scope.

/// Sets flush-to-zero and denormals-are-zero for the current thread while alive, and
/// restores the previous floating-point control state on drop.
///
/// On x86_64 this sets the FTZ and DAZ bits of MXCSR; on aarch64 the FZ bit of FPCR;
/// elsewhere it does nothing. Create one at the start of every audio callback:
///
/// ```
/// let _guard = tactus_dsp::ScopedFlushDenormals::new();
/// // ... render ...
/// ```
#[derive(Debug)]
pub struct ScopedFlushDenormals {
    #[allow(dead_code)]
    previous: u64,
}

impl ScopedFlushDenormals {
    /// Enables flushing until the guard is dropped.
    #[inline]
    pub fn new() -> Self {
        let previous = imp::get();
        imp::set(previous | imp::FLUSH_BITS);
        Self { previous }
    }
}

impl Default for ScopedFlushDenormals {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ScopedFlushDenormals {
    #[inline]
    fn drop(&mut self) {
        imp::set(self.previous);
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    /// FTZ (bit 15) | DAZ (bit 6).
    pub const FLUSH_BITS: u64 = (1 << 15) | (1 << 6);

    #[inline]
    pub fn get() -> u64 {
        let mut csr: u32 = 0;
        // SAFETY: stmxcsr stores the 32-bit MXCSR register to a valid, aligned u32.
        unsafe {
            core::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack, preserves_flags));
        }
        u64::from(csr)
    }

    #[inline]
    pub fn set(v: u64) {
        let csr = v as u32;
        // SAFETY: ldmxcsr loads a valid MXCSR value read from the same register plus the
        // FTZ/DAZ bits, which every x86_64 CPU supports.
        unsafe {
            core::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, preserves_flags));
        }
    }
}

#[cfg(target_arch = "aarch64")]
mod imp {
    /// FZ (bit 24) of FPCR.
    pub const FLUSH_BITS: u64 = 1 << 24;

    #[inline]
    pub fn get() -> u64 {
        let v: u64;
        // SAFETY: reading FPCR has no side effects.
        unsafe {
            core::arch::asm!("mrs {}, fpcr", out(reg) v, options(nomem, nostack, preserves_flags));
        }
        v
    }

    #[inline]
    pub fn set(v: u64) {
        // SAFETY: writing FPCR with its previous value plus FZ only changes float rounding
        // of subnormals for this thread.
        unsafe {
            core::arch::asm!("msr fpcr, {}", in(reg) v, options(nomem, nostack, preserves_flags));
        }
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod imp {
    pub const FLUSH_BITS: u64 = 0;
    #[inline]
    pub fn get() -> u64 {
        0
    }
    #[inline]
    pub fn set(_v: u64) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flushes_and_restores() {
        let tiny = std::hint::black_box(1e-39_f32); // subnormal
        assert!(tiny != 0.0 && !tiny.is_normal());
        {
            let _g = ScopedFlushDenormals::new();
            let y = std::hint::black_box(tiny) * std::hint::black_box(1.0f32);
            if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
                assert_eq!(y, 0.0);
            }
        }
        let y = std::hint::black_box(tiny) * std::hint::black_box(1.0f32);
        assert!(y != 0.0);
    }
}
