//! Planting the communities: their sizes, and which node goes where.
//!
//! Sizes follow a power law `P(s) ∝ s^-τ2` on `[c_min, c_max]` and must add up to N exactly.
//! [`draw_sizes`] draws until the sum reaches N, then spreads the excess (or shortfall) one node
//! at a time over randomly chosen communities that stay within the bounds, adding or dropping a
//! community only when the others cannot absorb it. The reference code instead adds the remainder
//! to the smallest community; spreading it distorts the law less and never leaves the bounds.
//!
//! A node of internal degree `d` needs a community of more than `d` nodes. The LFR paper places
//! nodes in random communities and evicts a random member of a full one until nobody is homeless;
//! that loop is slow when few communities are large enough for the hubs. [`assign`] reaches the
//! same kind of random constrained placement directly: nodes are placed by decreasing internal
//! degree, each into a community drawn with probability proportional to its free places among the
//! communities large enough for it. Processing the most constrained nodes first makes this greedy
//! placement succeed whenever any placement exists (the eligible sets are nested), and it fails
//! only when, for some `d`, the nodes of internal degree `≥ d` outnumber the places in
//! communities larger than `d`.
//!
//! Complexity: sizes `O(C + c_max)`; assignment `O(N log C + k_max)` with a Fenwick tree over
//! free places, for C communities.

use contextivity_graph::Rng;

use crate::powerlaw::DiscretePowerLaw;

/// Community sizes in `[min, max]` summing to `nodes`, sorted in decreasing order.
///
/// The caller guarantees that some number of communities `k` has `k·min <= nodes <= k·max`.
pub(crate) fn draw_sizes(
    nodes: usize,
    min: usize,
    max: usize,
    exponent: f64,
    rng: &mut Rng,
) -> Vec<usize> {
    let law = DiscretePowerLaw::new(min, max, exponent);
    let mut sizes = Vec::new();
    let mut sum = 0usize;
    while sum < nodes {
        let s = law.sample(rng);
        sizes.push(s);
        sum += s;
    }
    // Terminates: dropping needs j·min > nodes, adding needs j·max < nodes for the j communities
    // at hand, and both in turn would leave no feasible count between them.
    loop {
        if sum > nodes {
            let slack: usize = sizes.iter().map(|&s| s - min).sum();
            if slack >= sum - nodes {
                spread(&mut sizes, sum - nodes, rng, |s| (s > min).then(|| s - 1));
                break;
            }
            let dropped = sizes.pop().unwrap_or(0);
            sum -= dropped;
        } else if sum < nodes {
            let room = sizes.len() * max - sum;
            if room >= nodes - sum {
                spread(&mut sizes, nodes - sum, rng, |s| (s < max).then(|| s + 1));
                break;
            }
            let s = law.sample(rng);
            sizes.push(s);
            sum += s;
        } else {
            break;
        }
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

/// Applies `step` `times` times, one community at a time in a random order, skipping
/// communities where `step` declines. The caller has checked there is enough room.
fn spread(
    sizes: &mut [usize],
    mut times: usize,
    rng: &mut Rng,
    step: impl Fn(usize) -> Option<usize>,
) {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    rng.shuffle(&mut order);
    while times > 0 {
        let before = times;
        for &i in &order {
            if times == 0 {
                break;
            }
            if let Some(s) = step(sizes[i]) {
                sizes[i] = s;
                times -= 1;
            }
        }
        if times == before {
            break; // no room anywhere (excluded by the caller; guards against a loop)
        }
    }
}

/// A Fenwick (binary indexed) tree of free places per community.
struct Fenwick {
    tree: Vec<u64>,
}

impl Fenwick {
    fn new(values: &[usize]) -> Self {
        let n = values.len();
        let mut tree = vec![0u64; n + 1];
        for (i, &v) in values.iter().enumerate() {
            tree[i + 1] += v as u64;
            let parent = (i + 1) + ((i + 1) & (i + 1).wrapping_neg());
            if parent <= n {
                tree[parent] += tree[i + 1];
            }
        }
        Fenwick { tree }
    }

    /// Sum of the first `count` values.
    fn prefix(&self, mut count: usize) -> u64 {
        let mut s = 0;
        while count > 0 {
            s += self.tree[count];
            count &= count - 1;
        }
        s
    }

    fn decrement(&mut self, index: usize) {
        let mut i = index + 1;
        while i < self.tree.len() {
            self.tree[i] -= 1;
            i += i & i.wrapping_neg();
        }
    }

    /// The smallest index whose inclusive prefix sum exceeds `target`.
    fn find(&self, mut target: u64) -> usize {
        let n = self.tree.len() - 1;
        let mut pos = 0usize;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= target {
                pos = next;
                target -= self.tree[next];
            }
            step >>= 1;
        }
        pos
    }
}

/// Places every node in a community larger than its internal degree.
///
/// `sizes` must be sorted in decreasing order and sum to `internal.len()`. Returns the community
/// (index into `sizes`) of every node, or `None` if the sizes leave too few places for the nodes
/// of high internal degree.
pub(crate) fn assign(internal: &[u32], sizes: &[usize], rng: &mut Rng) -> Option<Vec<u32>> {
    let n = internal.len();
    debug_assert_eq!(sizes.iter().sum::<usize>(), n);
    debug_assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
    // Nodes by decreasing internal degree (counting sort; ties by node id).
    let top = internal.iter().copied().max().unwrap_or(0) as usize;
    let mut start = vec![0usize; top + 2];
    for &d in internal {
        start[top - d as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut order = vec![0u32; n];
    for (node, &d) in internal.iter().enumerate() {
        let slot = &mut start[top - d as usize];
        order[*slot] = node as u32;
        *slot += 1;
    }

    let mut free = Fenwick::new(sizes);
    let mut community = vec![0u32; n];
    let mut eligible = 0usize; // communities with size > current internal degree
    for &node in order.iter() {
        let d = internal[node as usize] as usize;
        while eligible < sizes.len() && sizes[eligible] > d {
            eligible += 1;
        }
        let places = free.prefix(eligible);
        if places == 0 {
            return None;
        }
        let c = free.find(rng.below(places));
        free.decrement(c);
        community[node as usize] = c as u32;
    }
    Some(community)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_sum_to_nodes_within_bounds() {
        for seed in 0..50 {
            let mut rng = Rng::new(seed);
            let nodes = 1000 + seed as usize * 37;
            let sizes = draw_sizes(nodes, 20, 100, 1.0, &mut rng);
            assert_eq!(sizes.iter().sum::<usize>(), nodes);
            assert!(sizes.iter().all(|&s| (20..=100).contains(&s)));
            assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        }
    }

    #[test]
    fn small_communities_outnumber_large_ones_as_the_law_says() {
        // τ2 = 1 on [20, 100]: P(s < 40) / P(s >= 80) = H(20..39) / H(80..100) ≈ 0.70 / 0.23.
        let mut rng = Rng::new(17);
        let (mut small, mut large) = (0usize, 0usize);
        for _ in 0..20 {
            for s in draw_sizes(100_000, 20, 100, 1.0, &mut rng) {
                if s < 40 {
                    small += 1;
                } else if s >= 80 {
                    large += 1;
                }
            }
        }
        let ratio = small as f64 / large as f64;
        assert!((2.7..3.4).contains(&ratio), "small/large = {ratio}");
    }

    #[test]
    fn tight_bounds_still_sum_exactly() {
        // 10 communities of 10..=11 is the only way to hold 105 nodes with these bounds.
        let mut rng = Rng::new(3);
        let sizes = draw_sizes(105, 10, 11, 1.0, &mut rng);
        assert_eq!(sizes.iter().sum::<usize>(), 105);
        assert!(sizes.iter().all(|&s| (10..=11).contains(&s)));
        let sizes = draw_sizes(60, 30, 30, 2.0, &mut rng);
        assert_eq!(sizes, vec![30, 30]);
    }

    #[test]
    fn fenwick_prefix_and_find_agree_with_a_scan() {
        let values = [3usize, 0, 5, 1, 0, 7, 2];
        let mut f = Fenwick::new(&values);
        let mut v = values.to_vec();
        f.decrement(2);
        v[2] -= 1;
        for count in 0..=v.len() {
            assert_eq!(f.prefix(count), v[..count].iter().sum::<usize>() as u64);
        }
        let total: usize = v.iter().sum();
        for t in 0..total as u64 {
            let mut acc = 0u64;
            let expect = v
                .iter()
                .position(|&x| {
                    acc += x as u64;
                    acc > t
                })
                .unwrap();
            assert_eq!(f.find(t), expect, "target {t}");
        }
    }

    #[test]
    fn assignment_respects_sizes_and_internal_degrees() {
        let mut rng = Rng::new(1);
        let sizes = vec![40, 30, 20, 10];
        let internal: Vec<u32> = (0..100).map(|i| (i % 35) as u32).collect();
        let community = assign(&internal, &sizes, &mut rng).unwrap();
        let mut filled = [0usize; 4];
        for (node, &c) in community.iter().enumerate() {
            filled[c as usize] += 1;
            assert!(sizes[c as usize] > internal[node] as usize);
        }
        assert_eq!(filled.to_vec(), sizes);
    }

    #[test]
    fn assignment_fails_when_hubs_outnumber_large_places() {
        let mut rng = Rng::new(1);
        // Three nodes need a community of more than 5 nodes.
        let internal = vec![5, 5, 5, 0, 0, 0, 0, 0];
        let community = assign(&internal, &[6, 2], &mut rng).unwrap();
        assert!(community[..3].iter().all(|&c| c == 0));
        assert!(assign(&internal, &[4, 4], &mut rng).is_none());
    }
}
