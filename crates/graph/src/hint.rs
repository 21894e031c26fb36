//! Cache hints for the hot loops that read rows of random nodes.
//!
//! Clustering and topic passes spend most of their time waiting for rows and per-node values
//! at random places in memory. Asking for a cache line a few iterations before it is read lets
//! those waits overlap. A hint never changes a result: nothing is read, and no access can
//! fault.

/// Asks the CPU to start loading the cache line that holds `slice[i]`, if there is one.
#[inline(always)]
pub fn prefetch<T>(slice: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(x) = slice.get(i) {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch of a valid reference; prefetches never fault nor change memory.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, i);
}

/// Prefetches every cache line of `slice` (a row: its first, every 64 bytes, and its last
/// element). A slice of a zero-sized type occupies no memory and gets no hint.
#[inline(always)]
pub fn prefetch_all<T>(slice: &[T]) {
    if std::mem::size_of::<T>() == 0 {
        return;
    }
    let step = (64 / std::mem::size_of::<T>()).max(1);
    let mut i = 0;
    while i < slice.len() {
        prefetch(slice, i);
        i += step;
    }
    if let Some(last) = slice.len().checked_sub(1) {
        prefetch(slice, last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_accept_any_index_and_change_nothing() {
        let v: Vec<u32> = (0..100).collect();
        prefetch(&v, 0);
        prefetch(&v, 99);
        prefetch(&v, 1000);
        prefetch_all(&v);
        prefetch_all::<u64>(&[]);
        prefetch_all(&[(); 3]);
        assert_eq!(v, (0..100).collect::<Vec<u32>>());
    }
}
