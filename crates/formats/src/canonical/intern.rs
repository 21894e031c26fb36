//! Numbering people: ids read in parallel, numbered in file order.
//!
//! Parsing a block turns every id cell into a [`Key`]: a number when the cell is a canonical
//! decimal below [`DENSE_LIMIT`] (`7`, not `007` or `+7`, which are other people), else an
//! index into the block's [`Keys`], which keep the text and a hash computed on the worker thread.
//! [`Ids`] then numbers keys sequentially in file order, so people get the same dense ids as a
//! one-by-one reading: small numbers through a direct table, everything else through an
//! open-addressing table of `(hash, id)` checked against the label text only on a hash match.

use contextivity_graph::{GraphError, LabelTable, NodeId};

/// Canonical decimal ids below this are numbered through a direct table (4 bytes per value up
/// to the largest seen); larger ones are hashed like any text.
pub(super) const DENSE_LIMIT: u64 = 1 << 24;

/// The top bit marks a [`Key`] that indexes [`Keys`] rather than holding a number.
const TEXT: u64 = 1 << 63;

/// An id cell as parsed: a small canonical number, or [`TEXT`] | index into [`Keys`].
pub(super) type Key = u64;

/// No id in a table slot.
const EMPTY: u32 = u32::MAX;

/// The text ids of one block: their bytes back to back, with hashes.
#[derive(Debug, Default)]
pub(super) struct Keys {
    text: String,
    /// `(hash, start, end)` of each text id in `text`.
    entries: Vec<(u64, usize, usize)>,
}

impl Keys {
    /// The key of id cell `id` (trimmed and non-empty).
    pub(super) fn key(&mut self, id: &str) -> Key {
        if let Some(n) = canonical_number(id.as_bytes()) {
            return n;
        }
        let start = self.text.len();
        self.text.push_str(id);
        self.entries
            .push((hash(id.as_bytes()), start, self.text.len()));
        TEXT | (self.entries.len() - 1) as u64
    }

    /// Keeps `cell` (a cell that is not an id) with the block; see [`Keys::stashed`].
    pub(super) fn stash(&mut self, cell: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.push_str(cell);
        (start, self.text.len())
    }

    /// A cell kept by [`Keys::stash`].
    pub(super) fn stashed(&self, (start, end): (usize, usize)) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The id cell that gave `key`, for messages.
    pub(super) fn text(&self, key: Key) -> String {
        if key & TEXT == 0 {
            key.to_string()
        } else {
            self.get(key).0.to_string()
        }
    }

    /// The text and hash of a text key.
    fn get(&self, key: Key) -> (&str, u64) {
        match self.entries.get((key & !TEXT) as usize) {
            Some(&(h, start, end)) => (self.text.get(start..end).unwrap_or(""), h),
            None => ("", 0),
        }
    }
}

/// The value of `bytes` if it is a decimal number written without leading zeros and below
/// [`DENSE_LIMIT`].
fn canonical_number(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 8 || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    let mut n = 0u64;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    (n < DENSE_LIMIT).then_some(n)
}

/// A fast, well-mixed 64-bit hash of an id's bytes.
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = K ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(31);
    }
    let mut w = [0u8; 8];
    w[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h ^= u64::from_le_bytes(w);
    // The murmur3 finalizer.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The ids numbered so far, with their labels in id order.
#[derive(Debug, Default)]
pub(super) struct Ids {
    labels: LabelTable,
    /// Id of every small number, [`EMPTY`] where none.
    dense: Vec<u32>,
    /// Open addressing over `(hash, id)`; a power of two long, at most half full.
    slots: Vec<(u64, u32)>,
    /// Text ids held in `slots`.
    texts: usize,
}

impl Ids {
    /// No ids yet.
    pub(super) fn new() -> Self {
        Ids {
            slots: vec![(0, EMPTY); 1 << 10],
            ..Ids::default()
        }
    }

    /// Number of people so far.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.labels.len()
    }

    /// The id of `key` if it was numbered.
    pub(super) fn lookup(&self, key: Key, keys: &Keys) -> Option<NodeId> {
        if key & TEXT == 0 {
            let id = *self.dense.get(key as usize)?;
            return (id != EMPTY).then_some(NodeId(id));
        }
        let (text, h) = keys.get(key);
        self.find(text, h)
            .ok()
            .map(|slot| NodeId(self.slots[slot].1))
    }

    /// The id of `key`, numbering it next if new.
    pub(super) fn intern(&mut self, key: Key, keys: &Keys) -> Result<NodeId, GraphError> {
        if key & TEXT == 0 {
            let value = key as usize;
            if value >= self.dense.len() {
                let len = (value + 1)
                    .max(self.dense.len() * 2)
                    .min(DENSE_LIMIT as usize);
                self.dense.resize(len, EMPTY);
            }
            if self.dense[value] != EMPTY {
                return Ok(NodeId(self.dense[value]));
            }
            let mut buf = [0u8; 20];
            let id = self.push(contextivity_graph::labels::decimal(&mut buf, key))?;
            self.dense[value] = id.0;
            return Ok(id);
        }
        let (text, h) = keys.get(key);
        match self.find(text, h) {
            Ok(slot) => Ok(NodeId(self.slots[slot].1)),
            Err(slot) => {
                let id = self.push(text)?;
                self.slots[slot] = (h, id.0);
                self.texts += 1;
                if self.texts * 2 > self.slots.len() {
                    self.grow();
                }
                Ok(id)
            }
        }
    }

    /// Asks the processor to fetch the table entry of `key`, which is about to be looked up:
    /// ids arrive in random order, so without this nearly every lookup waits for memory.
    pub(super) fn prefetch(&self, key: Key, keys: &Keys) {
        let entry: *const u32 = if key & TEXT == 0 {
            match self.dense.get(key as usize) {
                Some(id) => id,
                None => return,
            }
        } else {
            let (_, h) = keys.get(key);
            let i = (h >> 32) as usize & (self.slots.len() - 1);
            match self.slots.get(i) {
                Some(slot) => &slot.1,
                None => return,
            }
        };
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is only a hint; it reads nothing into the program and cannot
        // fault, and `entry` points into a live table anyway.
        unsafe {
            std::arch::x86_64::_mm_prefetch(entry.cast::<i8>(), std::arch::x86_64::_MM_HINT_T0);
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = entry;
    }

    /// Gives up the tables and keeps the labels.
    pub(super) fn into_labels(self) -> LabelTable {
        self.labels
    }

    fn push(&mut self, label: &str) -> Result<NodeId, GraphError> {
        if self.labels.len() >= u32::MAX as usize {
            return Err(GraphError::TooManyNodes);
        }
        Ok(self.labels.push(label))
    }

    /// `Ok(slot)` holding `text`, or `Err(slot)` where it would go.
    fn find(&self, text: &str, h: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (h >> 32) as usize & mask;
        loop {
            let (sh, id) = self.slots[i];
            if id == EMPTY {
                return Err(i);
            }
            if sh == h && self.labels.get(NodeId(id)) == text {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::replace(&mut self.slots, vec![(0, EMPTY); 0]);
        let len = old.len() * 2;
        self.slots = vec![(0, EMPTY); len];
        let mask = len - 1;
        for (h, id) in old.into_iter().filter(|&(_, id)| id != EMPTY) {
            let mut i = (h >> 32) as usize & mask;
            while self.slots[i].1 != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = (h, id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text_are_numbered_in_first_seen_order() {
        let mut keys = Keys::default();
        let cells = [
            "7", "007", "alice", "7", "😀", "0", "16777216", "alice", "+7",
        ];
        let parsed: Vec<Key> = cells.iter().map(|c| keys.key(c)).collect();
        let mut ids = Ids::new();
        let got: Vec<u32> = parsed
            .iter()
            .map(|&k| ids.intern(k, &keys).unwrap().0)
            .collect();
        assert_eq!(got, [0, 1, 2, 0, 3, 4, 5, 2, 6]);
        assert_eq!(ids.lookup(keys.key("😀"), &keys), Some(NodeId(3)));
        assert_eq!(ids.lookup(keys.key("8"), &keys), None);
        assert_eq!(ids.lookup(keys.key("bob"), &keys), None);
        let labels: Vec<&str> = ids.labels.iter().collect();
        assert_eq!(labels, ["7", "007", "alice", "😀", "0", "16777216", "+7"]);
    }

    #[test]
    fn the_table_grows_without_losing_ids() {
        let mut keys = Keys::default();
        let parsed: Vec<Key> = (0..5000).map(|i| keys.key(&format!("u{i}"))).collect();
        let mut ids = Ids::new();
        for (i, &k) in parsed.iter().enumerate() {
            assert_eq!(ids.intern(k, &keys).unwrap(), NodeId(i as u32));
        }
        for (i, &k) in parsed.iter().enumerate().rev() {
            assert_eq!(ids.intern(k, &keys).unwrap(), NodeId(i as u32));
        }
        assert_eq!(ids.len(), 5000);
    }
}
