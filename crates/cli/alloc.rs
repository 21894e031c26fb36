//! The program's memory allocator: the system allocator, with transparent huge pages asked for
//! on every large block.
//!
//! Clustering, topics and metrics spend much of their time in random reads of arrays of many
//! megabytes (the adjacency, the community of every node, community totals). With 4 KiB pages
//! nearly every such read also misses the TLB; with 2 MiB pages the same arrays are covered by
//! a few hundred TLB entries. Linux gives huge pages to a mapping only when asked
//! (`madvise(MADV_HUGEPAGE)`) under its default `madvise` policy, so every allocation of at
//! least [`HUGE_MIN`] bytes — which glibc serves with a fresh, untouched `mmap` — is advised
//! before it is first written. Smaller blocks and other platforms are left to the system
//! allocator unchanged. The advice is a hint: when the kernel has no huge page to give, or
//! huge pages are disabled, nothing changes but speed.
//!
//! A block glibc serves from its heap (after a large free it raises its mmap threshold, up to
//! 32 MiB) is advised only on the whole pages inside it; the kernel can form a huge page only
//! from an aligned 2 MiB range inside the advised range, so neighbouring blocks are never
//! affected. glibc's threshold is left alone on purpose: pinning it at [`HUGE_MIN`] made every
//! large buffer of the loader a fresh mapping and cost the 1M-person export about 2.5 s of
//! system time in page faults.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks of at least this many bytes are advised to use huge pages: two huge pages or more,
/// so that a block holds at least one aligned 2 MiB range wherever it starts.
pub const HUGE_MIN: usize = 4 << 20;

/// The system allocator plus huge-page advice for large blocks (see the module docs).
pub struct HugePageAlloc;

#[cfg(target_os = "linux")]
fn advise(ptr: *mut u8, size: usize) {
    if ptr.is_null() || size < HUGE_MIN {
        return;
    }
    // madvise wants a page-aligned start; advise the whole pages inside the block.
    const PAGE: usize = 4096;
    let start = (ptr as usize).next_multiple_of(PAGE);
    let end = (ptr as usize + size) & !(PAGE - 1);
    if end > start {
        // SAFETY: [start, end) lies inside the block just returned by the system allocator;
        // MADV_HUGEPAGE changes no contents, only how the kernel backs the pages.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_ptr: *mut u8, _size: usize) {}

// SAFETY: every method forwards to `System` with the same arguments and only adds advice on the
// returned block, which neither moves nor frees it.
unsafe impl GlobalAlloc for HugePageAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let grown = unsafe { System.realloc(ptr, layout, new_size) };
        if new_size > layout.size() {
            advise(grown, new_size);
        }
        grown
    }
}
