//! A small open-addressing table that accumulates flow per neighbouring module.
//!
//! Local moving asks, for one node, "how much flow goes to and comes from each module among my
//! neighbours?". The answer has at most `degree` keys, so a table sized to twice the degree and
//! cleared in `O(used)` stays in L1 cache and never depends on the number of modules. Entries are
//! reported in insertion order, which follows the node's adjacency order: the output is a pure
//! function of the input, whatever thread computes it.

/// Marks an empty slot.
const EMPTY: u32 = u32::MAX;

/// One accumulated entry: a module, the flow to it, the flow from it, and the first neighbour
/// seen in it (a representative that lets a stale proposal follow its module).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Entry {
    /// The module (or label).
    pub key: u32,
    /// Flow from the node into the module (or summed weight, for label propagation).
    pub out: f64,
    /// Flow from the module into the node.
    pub inn: f64,
    /// The first neighbour found in the module.
    pub rep: u32,
}

/// Open-addressing accumulator keyed by `u32`, with linear probing.
#[derive(Debug, Default)]
pub(crate) struct NeighborTable {
    keys: Vec<u32>,
    slot_of: Vec<u32>,
    entries: Vec<Entry>,
    shift: u32,
}

impl NeighborTable {
    /// An empty table; storage grows on the first [`NeighborTable::reset`].
    pub fn new() -> Self {
        NeighborTable::default()
    }

    /// Clears the table and makes room for `expected` distinct keys.
    pub fn reset(&mut self, expected: usize) {
        let want = (expected.max(4) * 2).next_power_of_two();
        if self.keys.len() < want {
            self.keys = vec![EMPTY; want];
            self.slot_of = vec![0; want];
            self.shift = 64 - want.trailing_zeros();
        } else {
            for e in &self.entries {
                let mut i = self.home(e.key);
                while self.keys[i] != e.key {
                    i = (i + 1) & (self.keys.len() - 1);
                }
                self.keys[i] = EMPTY;
            }
        }
        self.entries.clear();
    }

    #[inline]
    fn home(&self, key: u32) -> usize {
        ((key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Adds `out` and `inn` to `key`'s entry, creating it with representative `rep` if new.
    #[inline]
    pub fn add(&mut self, key: u32, out: f64, inn: f64, rep: u32) {
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        loop {
            let k = self.keys[i];
            if k == key {
                let e = &mut self.entries[self.slot_of[i] as usize];
                e.out += out;
                e.inn += inn;
                return;
            }
            if k == EMPTY {
                self.keys[i] = key;
                self.slot_of[i] = self.entries.len() as u32;
                self.entries.push(Entry { key, out, inn, rep });
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// The accumulated entries, in order of first insertion.
    #[inline]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry of `key`, if present.
    pub fn get(&self, key: u32) -> Option<&Entry> {
        if self.keys.is_empty() {
            return None;
        }
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(&self.entries[self.slot_of[i] as usize]);
            }
            if k == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulates_in_insertion_order_and_clears() {
        let mut t = NeighborTable::new();
        t.reset(3);
        t.add(7, 1.0, 0.5, 70);
        t.add(3, 2.0, 0.0, 30);
        t.add(7, 1.0, 0.5, 71);
        let keys: Vec<u32> = t.entries().iter().map(|e| e.key).collect();
        assert_eq!(keys, vec![7, 3]);
        assert_eq!(
            t.get(7).map(|e| (e.out, e.inn, e.rep)),
            Some((2.0, 1.0, 70))
        );
        t.reset(3);
        assert!(t.entries().is_empty());
        assert!(t.get(7).is_none());
        // Many keys force long probe chains and a regrow.
        t.reset(1000);
        for k in 0..1000u32 {
            t.add(k * 97, 1.0, 1.0, k);
        }
        assert_eq!(t.entries().len(), 1000);
        assert_eq!(t.get(97 * 999).map(|e| e.rep), Some(999));
    }
}
