//! The label ↔ id mapping, kept apart from the topology.
//!
//! Exports name people by arbitrary strings (handles, numeric ids, emoji). Loading turns each
//! distinct string into a dense [`NodeId`]; [`LabelTable`] keeps the reverse map compactly (one
//! string buffer plus end offsets), and [`Interner`] adds the forward hash map while a graph is
//! being built.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::GraphError;
use crate::ids::NodeId;

/// The original id of every node, stored back to back in one buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelTable {
    bytes: String,
    #[serde(with = "crate::packed")]
    ends: Vec<u64>,
}

impl LabelTable {
    /// An empty table.
    pub fn new() -> Self {
        LabelTable::default()
    }

    /// The labels `0, 1, …, n − 1` (graphs whose ids are already dense integers).
    pub fn numbered(n: usize) -> Self {
        let mut t = LabelTable::new();
        let mut buf = [0u8; 20];
        for i in 0..n {
            t.push(decimal(&mut buf, i as u64));
        }
        t
    }

    /// Appends a label and returns its id.
    pub fn push(&mut self, label: &str) -> NodeId {
        let id = NodeId(self.ends.len() as u32);
        self.bytes.push_str(label);
        self.ends.push(self.bytes.len() as u64);
        id
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The label of `id`.
    pub fn get(&self, id: NodeId) -> &str {
        let i = id.index();
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// All labels in id order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(NodeId(i as u32)))
    }

    /// Bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.len() + self.ends.len() * 8
    }
}

/// Builds a [`LabelTable`] while answering "which id has this label?".
///
/// The forward index is built on first use, so wrapping a large table that is never looked up
/// (a numeric edge list) costs nothing.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    table: LabelTable,
    index: OnceLock<HashMap<Box<str>, u32>>,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Interner::default()
    }

    /// An interner that already knows `table` (its labels must be distinct).
    pub fn from_table(table: LabelTable) -> Self {
        Interner {
            table,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &HashMap<Box<str>, u32> {
        self.index.get_or_init(|| {
            self.table
                .iter()
                .enumerate()
                .map(|(i, l)| (Box::from(l), i as u32))
                .collect()
        })
    }

    /// The id of `label`, assigning the next one if it is new.
    pub fn intern(&mut self, label: &str) -> Result<NodeId, GraphError> {
        if let Some(&id) = self.index().get(label) {
            return Ok(NodeId(id));
        }
        if self.table.len() >= u32::MAX as usize {
            return Err(GraphError::TooManyNodes);
        }
        let id = self.table.push(label);
        if let Some(index) = self.index.get_mut() {
            index.insert(Box::from(label), id.0);
        }
        Ok(id)
    }

    /// The id of `label` if it was seen.
    pub fn lookup(&self, label: &str) -> Option<NodeId> {
        self.index().get(label).map(|&i| NodeId(i))
    }

    /// Number of distinct labels.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether no label was seen.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The labels seen so far, in id order.
    pub fn table(&self) -> &LabelTable {
        &self.table
    }

    /// Gives up the forward index and keeps the labels.
    pub fn into_table(self) -> LabelTable {
        self.table
    }
}

/// The decimal digits of `x`, written at the end of `buf` (20 bytes hold any `u64`); loaders use
/// it to label numeric ids without allocating per number.
pub fn decimal(buf: &mut [u8; 20], mut x: u64) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    // The tail holds ASCII digits only.
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_assigns_dense_ids_in_first_seen_order() {
        let mut i = Interner::new();
        assert_eq!(i.intern("alice").unwrap(), NodeId(0));
        assert_eq!(i.intern("🦀").unwrap(), NodeId(1));
        assert_eq!(i.intern("alice").unwrap(), NodeId(0));
        assert_eq!(i.lookup("🦀"), Some(NodeId(1)));
        assert_eq!(i.lookup("bob"), None);
        let t = i.into_table();
        assert_eq!(t.get(NodeId(1)), "🦀");
        assert_eq!(t.iter().collect::<Vec<_>>(), vec!["alice", "🦀"]);
    }

    #[test]
    fn numbered_labels() {
        let t = LabelTable::numbered(12);
        assert_eq!(t.get(NodeId(0)), "0");
        assert_eq!(t.get(NodeId(11)), "11");
        let back = Interner::from_table(t);
        assert_eq!(back.lookup("7"), Some(NodeId(7)));
    }
}
