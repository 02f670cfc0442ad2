//! A counting global allocator for the real-time tests of every crate: it forwards to the
//! system allocator and counts, per thread, the calls made while [`forbidden`] runs there
//! (so tests running in parallel do not count each other's allocations).
//!
//! Include it once per test binary: from `tactus-dsp`'s tests with
//! `#[path = "support/counting_alloc.rs"] mod counting_alloc;`, from another crate's with
//! the path to this file (`../../tactus-dsp/tests/support/counting_alloc.rs`).

#![allow(dead_code)] // each test binary uses the part it needs

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

/// Counts one call if this thread is armed.
fn count() {
    if ARMED.try_with(|a| a.get()).unwrap_or(false) {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
    }
}

// SAFETY: forwards to the system allocator; only counts calls made while armed.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count();
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` with allocation counted on this thread; returns its result and the count of
/// allocations, reallocations and frees it made.
pub fn counted<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = ALLOCS.with(Cell::get);
    ARMED.with(|a| a.set(true));
    let r = f();
    ARMED.with(|a| a.set(false));
    (r, ALLOCS.with(Cell::get) - before)
}

/// Runs `f` with allocation counted on this thread; returns the count.
pub fn forbidden(f: impl FnOnce()) -> usize {
    counted(f).1
}
