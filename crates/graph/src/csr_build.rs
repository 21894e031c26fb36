//! Compressed sparse rows from dense edges, without atomic read-modify-writes.
//!
//! The build behind [`Csr::from_edges`] and [`Csr::from_edge_list`]. Handing out slots with an
//! atomic cursor per row would make every store a locked read-modify-write that drains the store
//! buffer, and the random scatter of a large graph memory-latency bound. Instead each of `T`
//! contiguous blocks of edges keeps its own degree counts:
//!
//! 1. every block counts the degrees its edges contribute (plain increments, in parallel);
//! 2. a prefix sum over rows gives the offsets, and block `b` starts writing row `r` after the
//!    entries blocks `0..b` put there;
//! 3. every block scatters its edges with plain stores into slots no other block writes;
//! 4. each row is sorted and its duplicates merged (weights summed), in parallel over balanced
//!    runs of rows; unweighted rows sort 4-byte targets, weighted ones 8-byte (target, weight)
//!    pairs;
//! 5. if anything merged, rows are compacted left in place.
//!
//! Rows come out sorted with duplicates merged, self-loops dropped unless kept; a symmetric build
//! stores each edge both ways and a loop once. The result does not depend on `T` (rows are sorted
//! by target and weight bits before merging, so even float sums happen in one order). Work is
//! `O(m log d_max + T·n)`, extra memory `4·T·n` bytes of counts plus the output arrays; the
//! input edges are released once scattered.

use rayon::prelude::*;

use crate::csr::{BuildOptions, BuildStats, Csr, EdgeList};
use crate::error::GraphError;

/// Upper bound on edge blocks (each costs `4·n` bytes of counts).
const MAX_BLOCKS: usize = 16;

/// A raw pointer that may cross threads; see the `SAFETY` notes where it is written through.
#[derive(Clone, Copy)]
struct SharedMut<T>(*mut T);
// SAFETY: only used for writes to slots that exactly one block owns (see `scatter`).
unsafe impl<T: Send> Send for SharedMut<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for SharedMut<T> {}

impl<T> SharedMut<T> {
    /// The pointer (a method, so that closures capture the whole `Send` wrapper).
    #[inline(always)]
    fn get(&self) -> *mut T {
        self.0
    }
}

/// The input edges, borrowed or owned (owned ones are released as soon as they are scattered).
pub(crate) enum Input<'a> {
    /// The caller keeps the edges.
    Borrowed(&'a EdgeList),
    /// The build may free the edges early.
    Owned(EdgeList),
}

impl Input<'_> {
    fn get(&self) -> &EdgeList {
        match self {
            Input::Borrowed(e) => e,
            Input::Owned(e) => e,
        }
    }
}

/// Builds the CSR of `input` over `n` nodes; see the module doc. Fails if an endpoint is `>= n`
/// or the edge arrays differ in length.
pub(crate) fn build_csr(
    n: usize,
    input: Input<'_>,
    options: BuildOptions,
) -> Result<(Csr, BuildStats), GraphError> {
    let edges = input.get();
    let m = edges.len();
    if edges.targets.len() != m || edges.weights.as_ref().is_some_and(|w| w.len() != m) {
        return Err(GraphError::InvalidCsr(
            "edge list arrays differ in length".into(),
        ));
    }
    if let Some(&bad) = edges
        .sources
        .par_iter()
        .chain(edges.targets.par_iter())
        .find_any(|&&x| x as usize >= n)
    {
        return Err(GraphError::NodeOutOfRange {
            node: bad,
            nodes: n,
        });
    }
    let blocks = rayon::current_num_threads()
        .min(m / n.max(1))
        .clamp(1, MAX_BLOCKS);
    let ranges: Vec<(usize, usize)> = (0..blocks)
        .map(|b| (m * b / blocks, m * (b + 1) / blocks))
        .collect();
    let sym = options.symmetric;
    let keep_loops = options.keep_self_loops;

    // 1. Degrees per block.
    let counted: Vec<(Vec<u32>, u64)> = ranges
        .par_iter()
        .map(|&(a, b)| {
            let mut count = vec![0u32; n];
            let mut loops = 0u64;
            for (&u, &v) in edges.sources[a..b].iter().zip(&edges.targets[a..b]) {
                if u == v {
                    loops += 1;
                    if !keep_loops {
                        continue;
                    }
                }
                count[u as usize] += 1;
                if sym && u != v {
                    count[v as usize] += 1;
                }
            }
            (count, loops)
        })
        .collect();
    let self_loops = counted.iter().map(|c| c.1).sum::<u64>();
    let self_loops_dropped = if keep_loops { 0 } else { self_loops };
    let counts: Vec<Vec<u32>> = counted.into_iter().map(|c| c.0).collect();

    // 2. Offsets, and for every block the absolute slot where it starts writing each row.
    let mut cursors: Vec<Vec<u64>> = vec![Vec::with_capacity(n); blocks];
    let mut offsets = Vec::with_capacity(n + 1);
    let mut total = 0u64;
    offsets.push(0u64);
    for r in 0..n {
        for (cursor, count) in cursors.iter_mut().zip(&counts) {
            cursor.push(total);
            total += count[r] as u64;
        }
        offsets.push(total);
    }
    drop(counts);
    let slots = total as usize;

    // 3–5.
    let (offsets, targets, weights, loops_kept) = match &edges.weights {
        None => {
            let mut targets = vec![0u32; slots];
            scatter(
                edges,
                &ranges,
                &mut cursors,
                sym,
                keep_loops,
                &mut targets,
                |_, t| t,
            );
            drop(cursors);
            drop(input);
            merge_unweighted(offsets, targets)
        }
        Some(w) => {
            let mut packed = vec![0u64; slots];
            scatter(
                edges,
                &ranges,
                &mut cursors,
                sym,
                keep_loops,
                &mut packed,
                |i, t| ((t as u64) << 32) | w[i].to_bits() as u64,
            );
            drop(cursors);
            drop(input);
            merge_weighted(offsets, packed)
        }
    };
    let kept = targets.len() as u64;
    let distinct = if sym {
        (kept - loops_kept) / 2 + loops_kept
    } else {
        kept
    };
    let duplicates_merged = m as u64 - self_loops_dropped - distinct;
    let csr = Csr::from_sorted_rows(offsets, targets, weights);
    Ok((
        csr,
        BuildStats {
            duplicates_merged,
            self_loops_dropped,
        },
    ))
}

/// Writes every kept edge into its row: `slot(edge index, target)` is the value stored.
#[allow(clippy::too_many_arguments)]
fn scatter<T: Copy + Send + Sync>(
    edges: &EdgeList,
    ranges: &[(usize, usize)],
    cursors: &mut [Vec<u64>],
    sym: bool,
    keep_loops: bool,
    out: &mut [T],
    slot: impl Fn(usize, u32) -> T + Sync,
) {
    let out = SharedMut(out.as_mut_ptr());
    ranges
        .par_iter()
        .zip(cursors.par_iter_mut())
        .for_each(|(&(a, b), cursor)| {
            let mut place = |row: u32, value: T| {
                let r = row as usize;
                let at = cursor[r] as usize;
                cursor[r] += 1;
                // SAFETY: the block owns slots `start .. start + count` of row `r`, where `start`
                // is the cursor's initial value and `count` the degree this block counted with
                // the same loop as below; so `at` stays inside that range, inside `out` (sized
                // by the sum of all counts), and no other block writes it.
                unsafe { *out.get().add(at) = value };
            };
            for i in a..b {
                let (u, v) = (edges.sources[i], edges.targets[i]);
                if u == v && !keep_loops {
                    continue;
                }
                place(u, slot(i, v));
                if sym && u != v {
                    place(v, slot(i, u));
                }
            }
        });
}

/// Borders of about `8·threads` runs of rows with similar entry counts (first 0, last `n`).
fn row_runs(offsets: &[u64]) -> Vec<usize> {
    let n = offsets.len() - 1;
    let parts = (rayon::current_num_threads() * 8).max(1) as u64;
    let total = offsets[n];
    let mut borders = vec![0usize];
    for k in 1..parts {
        let at = offsets.partition_point(|&o| o < total * k / parts).min(n);
        if at > borders.last().copied().unwrap_or(0) {
            borders.push(at);
        }
    }
    if borders.last().copied() != Some(n) {
        borders.push(n);
    }
    borders
}

/// One run of rows: its first row, the entries of its rows and one merged degree per row.
struct Run<'a, T> {
    first: usize,
    entries: &'a mut [T],
    weights: &'a mut [f32],
    degrees: &'a mut [u32],
}

/// Cuts `entries`, `weights` (same length, or empty) and `degrees` into the runs of `borders`.
fn cut<'a, T>(
    offsets: &[u64],
    borders: &[usize],
    mut entries: &'a mut [T],
    mut weights: &'a mut [f32],
    mut degrees: &'a mut [u32],
) -> Vec<Run<'a, T>> {
    let mut runs = Vec::with_capacity(borders.len());
    for w in borders.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = (offsets[b] - offsets[a]) as usize;
        let (e, er) = std::mem::take(&mut entries).split_at_mut(len);
        let weight_len = len.min(weights.len());
        let (wt, wr) = std::mem::take(&mut weights).split_at_mut(weight_len);
        let (d, dr) = std::mem::take(&mut degrees).split_at_mut(b - a);
        entries = er;
        weights = wr;
        degrees = dr;
        runs.push(Run {
            first: a,
            entries: e,
            weights: wt,
            degrees: d,
        });
    }
    runs
}

/// Sorts and merges unweighted rows: each distinct target's weight is its multiplicity.
/// Returns the final `(offsets, targets, weights, self-loops kept)`.
fn merge_unweighted(
    offsets: Vec<u64>,
    mut targets: Vec<u32>,
) -> (Vec<u64>, Vec<u32>, Vec<f32>, u64) {
    let n = offsets.len() - 1;
    // Zeroed memory is mapped lazily; every slot that survives is written below.
    let mut weights = vec![0f32; targets.len()];
    let mut degrees = vec![0u32; n];
    let borders = row_runs(&offsets);
    let loops: u64 = cut(&offsets, &borders, &mut targets, &mut weights, &mut degrees)
        .into_par_iter()
        .map(|run| {
            let base = offsets[run.first];
            let mut loops = 0u64;
            for (k, degree) in run.degrees.iter_mut().enumerate() {
                let r = run.first + k;
                let (a, b) = (
                    (offsets[r] - base) as usize,
                    (offsets[r + 1] - base) as usize,
                );
                let row = &mut run.entries[a..b];
                let w = &mut run.weights[a..b];
                if !row.is_sorted() {
                    row.sort_unstable();
                }
                let mut out = 0usize;
                let mut i = 0usize;
                while i < row.len() {
                    let t = row[i];
                    let mut j = i + 1;
                    while j < row.len() && row[j] == t {
                        j += 1;
                    }
                    row[out] = t;
                    w[out] = (j - i) as f32;
                    loops += (t as usize == r) as u64;
                    out += 1;
                    i = j;
                }
                *degree = out as u32;
            }
            loops
        })
        .sum();
    let (offsets, kept) = compact(&offsets, &degrees, &mut targets, &mut weights);
    targets.truncate(kept);
    weights.truncate(kept);
    (offsets, targets, weights, loops)
}

/// Sorts and merges weighted rows of packed `(target << 32) | weight bits`, summing the weights
/// of equal targets. Returns the final `(offsets, targets, weights, self-loops kept)`.
fn merge_weighted(offsets: Vec<u64>, mut packed: Vec<u64>) -> (Vec<u64>, Vec<u32>, Vec<f32>, u64) {
    let n = offsets.len() - 1;
    let mut degrees = vec![0u32; n];
    let borders = row_runs(&offsets);
    let loops: u64 = cut(&offsets, &borders, &mut packed, &mut [], &mut degrees)
        .into_par_iter()
        .map(|run| {
            let base = offsets[run.first];
            let mut loops = 0u64;
            for (k, degree) in run.degrees.iter_mut().enumerate() {
                let r = run.first + k;
                let (a, b) = (
                    (offsets[r] - base) as usize,
                    (offsets[r + 1] - base) as usize,
                );
                let row = &mut run.entries[a..b];
                row.sort_unstable();
                let mut out = 0usize;
                let mut i = 0usize;
                while i < row.len() {
                    let t = row[i] >> 32;
                    let mut sum = f32::from_bits(row[i] as u32) as f64;
                    let mut j = i + 1;
                    while j < row.len() && row[j] >> 32 == t {
                        sum += f32::from_bits(row[j] as u32) as f64;
                        j += 1;
                    }
                    row[out] = (t << 32) | (sum as f32).to_bits() as u64;
                    loops += (t as usize == r) as u64;
                    out += 1;
                    i = j;
                }
                *degree = out as u32;
            }
            loops
        })
        .sum();
    let mut none: Vec<f32> = Vec::new();
    let (offsets, kept) = compact(&offsets, &degrees, &mut packed, &mut none);
    packed.truncate(kept);
    let targets = packed.par_iter().map(|&x| (x >> 32) as u32).collect();
    let weights = packed
        .par_iter()
        .map(|&x| f32::from_bits(x as u32))
        .collect();
    (offsets, targets, weights, loops)
}

/// Moves each row's first `degrees[r]` entries (and weights, if any) left so rows lie back to
/// back; returns the new offsets and the number of entries kept.
fn compact<T: Copy>(
    offsets: &[u64],
    degrees: &[u32],
    entries: &mut [T],
    weights: &mut [f32],
) -> (Vec<u64>, usize) {
    let n = degrees.len();
    let mut new_offsets = Vec::with_capacity(n + 1);
    new_offsets.push(0u64);
    let mut acc = 0u64;
    for &d in degrees {
        acc += d as u64;
        new_offsets.push(acc);
    }
    if acc != offsets[n] {
        for r in 0..n {
            let (from, to, len) = (
                offsets[r] as usize,
                new_offsets[r] as usize,
                degrees[r] as usize,
            );
            if from != to && len > 0 {
                entries.copy_within(from..from + len, to);
                if !weights.is_empty() {
                    weights.copy_within(from..from + len, to);
                }
            }
        }
    }
    (new_offsets, acc as usize)
}
