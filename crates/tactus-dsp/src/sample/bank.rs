//! Control-side sample registry (filled in later).
