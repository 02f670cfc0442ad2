//! Zeroed buffers whose memory is mapped before the audio thread uses them.
//!
//! `vec![0.0; n]` asks the allocator for zeroed memory (`calloc`). For a large `n` that is
//! fresh pages, which the kernel maps only when each is first written: the first write
//! takes a page fault (a trip into the kernel, a page zeroed). When that write happens in
//! the audio callback, it costs the callback a few microseconds per 4 KiB page, and a
//! buffer of tens of kilobytes written for the first time in one block costs a visible
//! share of a 64-frame buffer. `tactus play` locks memory (`mlockall`), which maps every
//! page at once, but only where permitted (an ordinary user's lock limit is usually far
//! below the process size) and only for what exists when it runs, not for the buffers of a
//! program loaded later. So every buffer the audio thread writes is allocated with
//! [`zeroed`], which writes each page once, on the control side.

/// `f32`s per 4 KiB page: the stride of the writes that map the pages. Larger pages are
/// mapped by the same writes.
const PAGE_FLOATS: usize = 4096 / std::mem::size_of::<f32>();

/// `len` zeros, with every page of the buffer already mapped (written once here).
///
/// ```
/// let b = tactus_dsp::memory::zeroed(10_000);
/// assert_eq!(b.len(), 10_000);
/// assert!(b.iter().all(|&x| x == 0.0));
/// ```
pub fn zeroed(len: usize) -> Vec<f32> {
    let mut v = vec![0.0f32; len];
    // A store of an opaque value cannot be left out by the optimiser (a store of a known
    // zero into memory that came from calloc could be); the value is zero all the same.
    let zero = std::hint::black_box(0.0f32);
    for x in v.iter_mut().step_by(PAGE_FLOATS) {
        *x = zero;
    }
    if let Some(x) = v.last_mut() {
        *x = zero;
    }
    v
}

/// [`zeroed`] as a boxed slice.
pub fn zeroed_box(len: usize) -> Box<[f32]> {
    zeroed(len).into_boxed_slice()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Minor page faults of the calling thread so far.
    fn minor_faults() -> i64 {
        // SAFETY: getrusage only writes the struct we pass; all-zero is a valid rusage.
        unsafe {
            let mut u: libc::rusage = std::mem::zeroed();
            libc::getrusage(libc::RUSAGE_THREAD, &mut u);
            u.ru_minflt
        }
    }

    /// Faults taken while writing every element of `buf`, as the audio thread would.
    fn faults_writing(buf: &mut [f32]) -> i64 {
        let before = minor_faults();
        for (i, x) in buf.iter_mut().enumerate() {
            *x = std::hint::black_box(i as f32);
        }
        minor_faults() - before
    }

    /// Writing a fresh 8 MiB buffer from `zeroed` takes (next to) no page faults; the same
    /// buffer from `vec![0.0; n]` takes one per page (2048 with 4 KiB pages, 4 with
    /// transparent huge pages), which shows that the measurement works.
    #[test]
    fn writing_a_zeroed_buffer_takes_no_page_faults() {
        let n = 2 << 20;
        let mut calloced = vec![0.0f32; n];
        let lazy = faults_writing(&mut calloced);
        assert!(lazy >= 4, "calloc'd memory faults on first write: {lazy}");
        let mut pre = zeroed(n);
        let faults = faults_writing(&mut pre);
        assert!(
            faults < 8 && faults <= lazy / 4,
            "{faults} page faults writing a prefaulted buffer ({lazy} for calloc'd memory)"
        );
        assert!(zeroed_box(5).iter().all(|&x| x == 0.0));
        assert!(zeroed(0).is_empty());
    }
}
