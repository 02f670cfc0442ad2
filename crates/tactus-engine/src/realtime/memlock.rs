//! [`lock_memory`]: keep what the callback touches in RAM, without populating reservations.
//!
//! The callback must never wait for a page: every buffer it writes is mapped when it is
//! allocated, on the control side (`tactus_dsp::memory::zeroed`), and this locks the pages
//! mapped so far so that they are never swapped out. It locks them *on fault*
//! (`MCL_ONFAULT`): pages already present are locked, and pages of existing mappings as
//! they are first touched; address space that was only reserved stays unmapped until used. A plain `mlockall(MCL_CURRENT)` would map and zero every
//! reserved page: the allocator (mimalloc) reserves 1 GiB of address space up front, so
//! `tactus play` held 1 GiB of locked, zeroed memory and spent a quarter of a second at
//! start-up writing it.

/// Locks the process's present pages into RAM, leaving reserved but unused address space
/// unmapped (`mlockall(MCL_CURRENT | MCL_ONFAULT)`). Best effort: false (and nothing done)
/// without the privilege (an ordinary user's lock limit is usually far below the process
/// size), on kernels before 4.4, and off Linux. Call it once the engine is built.
pub fn lock_memory() -> bool {
    #[cfg(target_os = "linux")]
    // SAFETY: mlockall takes flags only and has no memory-safety preconditions.
    unsafe {
        libc::mlockall(libc::MCL_CURRENT | libc::MCL_ONFAULT) == 0
    }
    #[cfg(not(target_os = "linux"))]
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Resident and locked memory of this process, in KiB (`VmRSS`, `VmLck`).
    fn resident_and_locked() -> (u64, u64) {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmLck:"))
    }

    /// Locking maps nothing new: a 256 MiB reservation stays out of RAM, while what was
    /// present gets locked (when the process may lock memory at all).
    #[test]
    fn locking_does_not_populate_reserved_memory() {
        // SAFETY: an anonymous private mapping with no address hint; unmapped below.
        let len = 256 << 20;
        let reserved = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        assert_ne!(reserved, libc::MAP_FAILED);
        let (rss_before, _) = resident_and_locked();
        let locked = lock_memory();
        let (rss_after, lck) = resident_and_locked();
        // SAFETY: unlock everything again (other tests share the process) and unmap the
        // region mapped above.
        unsafe {
            libc::munlockall();
            libc::munmap(reserved, len);
        }
        assert!(
            rss_after < rss_before + 64 * 1024,
            "locking mapped the reservation: {rss_before} -> {rss_after} KiB"
        );
        if locked {
            assert!(lck > 0, "mlockall succeeded but nothing is locked");
        } else {
            eprintln!("mlockall not permitted here: only the no-populate half is checked");
        }
    }
}
