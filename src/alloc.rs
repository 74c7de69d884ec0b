//! Running out of memory ends the run with a message, not an abort.
//!
//! Rust's default answer to a failed allocation is to abort the process (exit code 134, SIGABRT,
//! "memory allocation of N bytes failed" at best), which a script cannot tell from a crash.
//! [`Checked`] wraps the binary's global allocator: when the inner allocator returns null, it
//! writes one line to stderr — without allocating, straight to file descriptor 2 — and ends the
//! process at once with exit code 2, chaff's code for a fatal error.
//!
//! Ending at once (`_exit`) runs no destructor and flushes no buffer, so nothing is half written:
//! every output goes to a temporary file that is renamed into place only when the whole set is
//! complete, so a run that stops here leaves the previous outputs as they were. Its temporary
//! files stay behind in the output folder; the next run there removes them and says so (see
//! `output::remove_stale`). Buffered records on stdout (`-o -`) are not flushed.

use std::alloc::{GlobalAlloc, Layout};

/// A global allocator that turns an allocation failure of `A` into a message and exit code 2;
/// see the module docs.
pub struct Checked<A>(pub A);

// SAFETY: every call is passed to the inner allocator unchanged; only a null result, which the
// caller could not use anyway, is turned into the end of the process.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Checked<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which is passed on as it is.
        let ptr = unsafe { self.0.alloc(layout) };
        if ptr.is_null() {
            out_of_memory(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { self.0.alloc_zeroed(layout) };
        if ptr.is_null() {
            out_of_memory(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `dealloc`'s contract, which is passed on as it is.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `realloc`'s contract, which is passed on as it is.
        let new = unsafe { self.0.realloc(ptr, layout, new_size) };
        if new.is_null() {
            out_of_memory(new_size);
        }
        new
    }
}

/// The first part of the message; the size and the rest follow.
const MESSAGE: &[u8] = b"chaff: out of memory: an allocation of ";
const ADVICE: &[u8] = b" bytes failed; the run stopped and no output was written (free memory, \
use fewer threads, -j, or a smaller --max-bytes)\n";

/// Writes the message to stderr and ends the process with exit code 2, allocating nothing.
#[cold]
fn out_of_memory(size: usize) -> ! {
    let mut digits = [0u8; 20];
    let size = decimal(size, &mut digits);
    for part in [MESSAGE, size, ADVICE] {
        write_stderr(part);
    }
    // SAFETY: `_exit` ends the process without running anything else; it cannot fail.
    unsafe { libc::_exit(2) }
}

/// `n` in decimal, written into the end of `buf`.
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// Writes all of `bytes` to file descriptor 2, retrying short writes; gives up on an error.
fn write_stderr(mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: the pointer and length describe `bytes`, which lives across the call.
        let written = unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
        match usize::try_from(written) {
            Ok(n) if n > 0 => bytes = &bytes[n..],
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_in_decimal() {
        let mut buf = [0u8; 20];
        assert_eq!(decimal(0, &mut buf), b"0");
        assert_eq!(decimal(1_048_576, &mut buf), b"1048576");
        assert_eq!(
            decimal(usize::MAX, &mut buf),
            usize::MAX.to_string().as_bytes()
        );
    }

    #[test]
    fn allocations_that_succeed_pass_through() {
        let checked = Checked(std::alloc::System);
        let layout = Layout::from_size_align(64, 8).unwrap();
        // SAFETY: a non-zero layout, freed with the same layout.
        unsafe {
            let ptr = checked.alloc_zeroed(layout);
            assert!(!ptr.is_null());
            assert!(std::slice::from_raw_parts(ptr, 64).iter().all(|&b| b == 0));
            let ptr = checked.realloc(ptr, layout, 128);
            assert!(!ptr.is_null());
            checked.dealloc(ptr, Layout::from_size_align(128, 8).unwrap());
        }
    }
}
