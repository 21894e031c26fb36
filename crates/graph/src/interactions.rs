//! The typed, weighted, timestamped interaction layer.
//!
//! Every interaction (a reply, a mention, a repost, a like, a click, a message or any other kind an
//! export names) is an event `source → target` with a kind, an optional time and a weight. Events
//! are kept individually — time matters for activity and conversation metrics — in CSR order:
//! grouped by source, then sorted by target, time and kind. Exact duplicates (same ends, kind and
//! time) are merged by summing their weights.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The kinds every export may use by name; any other word becomes a custom kind after these.
pub const STANDARD_KINDS: [&str; 7] = [
    "reply", "mention", "repost", "quote", "like", "click", "message",
];

/// Marks "no time recorded" in a time column (seconds since the Unix epoch otherwise).
pub const NO_TIME: i64 = i64::MIN;

/// A kind of interaction, numbered in a [`KindTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KindId(pub u16);

/// The names of interaction kinds: the standard ones first, then custom ones in order of first use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindTable {
    names: Vec<String>,
}

impl Default for KindTable {
    fn default() -> Self {
        KindTable {
            names: STANDARD_KINDS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl KindTable {
    /// The id of `name` (case-insensitive), adding it as a custom kind if new; `None` when the
    /// table already holds 65,536 kinds.
    pub fn intern(&mut self, name: &str) -> Option<KindId> {
        let lower = name.trim().to_lowercase();
        if let Some(i) = self.names.iter().position(|n| *n == lower) {
            return Some(KindId(i as u16));
        }
        if self.names.len() > u16::MAX as usize {
            return None;
        }
        self.names.push(lower);
        Some(KindId(self.names.len() as u16 - 1))
    }

    /// The id of `name` if known.
    pub fn lookup(&self, name: &str) -> Option<KindId> {
        let lower = name.trim().to_lowercase();
        self.names
            .iter()
            .position(|n| *n == lower)
            .map(|i| KindId(i as u16))
    }

    /// The name of `kind`.
    pub fn name(&self, kind: KindId) -> &str {
        self.names.get(kind.0 as usize).map_or("?", |s| s.as_str())
    }

    /// Number of kinds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Always false: the standard kinds are always present.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// All names in id order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// One interaction event as readers hand it over.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// Who acted.
    pub source: u32,
    /// Towards whom.
    pub target: u32,
    /// What kind of interaction.
    pub kind: KindId,
    /// When, in seconds since the Unix epoch, or [`NO_TIME`].
    pub time: i64,
    /// How much it counts (1 unless the export says otherwise).
    pub weight: f32,
}

/// What building the layer merged or dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionBuildStats {
    /// Events merged into an identical earlier one (weights summed).
    pub duplicates_merged: u64,
    /// Events from a person to themself, left out.
    pub self_loops_dropped: u64,
}

/// All interaction events, grouped by source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InteractionLayer {
    kinds: KindTable,
    #[serde(with = "crate::packed")]
    offsets: Vec<u64>,
    #[serde(with = "crate::packed")]
    targets: Vec<u32>,
    #[serde(with = "crate::packed")]
    event_kinds: Vec<KindId>,
    #[serde(with = "crate::packed")]
    times: Vec<i64>,
    #[serde(with = "crate::packed")]
    weights: Vec<f32>,
    #[serde(with = "crate::packed")]
    counts: Vec<u32>,
}

impl InteractionLayer {
    /// Builds the layer over `n` people from unsorted events.
    pub fn build(
        n: usize,
        kinds: KindTable,
        events: Vec<Interaction>,
        keep_self_loops: bool,
    ) -> (Self, InteractionBuildStats) {
        let counted = events.into_iter().map(|e| (e, 1)).collect();
        Self::build_counted(n, kinds, counted, keep_self_loops)
    }

    /// This layer with `extra` events added (for example mentions derived from post text),
    /// merged exactly as [`InteractionLayer::build`] would have merged them had they been read
    /// with the others; the counts of events merged earlier are kept.
    pub fn with_events(
        &self,
        kinds: KindTable,
        extra: Vec<Interaction>,
        keep_self_loops: bool,
    ) -> (Self, InteractionBuildStats) {
        let mut counted: Vec<(Interaction, u32)> =
            Vec::with_capacity(self.targets.len() + extra.len());
        for u in 0..self.node_count() {
            for i in self.row_range(u) {
                let event = Interaction {
                    source: u as u32,
                    target: self.targets[i],
                    kind: self.event_kinds[i],
                    time: self.times[i],
                    weight: self.weights[i],
                };
                counted.push((event, self.counts[i]));
            }
        }
        counted.extend(extra.into_iter().map(|e| (e, 1)));
        Self::build_counted(self.node_count(), kinds, counted, keep_self_loops)
    }

    /// [`InteractionLayer::build`] over events that each stand for `count` input events.
    fn build_counted(
        n: usize,
        kinds: KindTable,
        mut events: Vec<(Interaction, u32)>,
        keep_self_loops: bool,
    ) -> (Self, InteractionBuildStats) {
        let before = events.len();
        if !keep_self_loops {
            events.retain(|(e, _)| e.source != e.target);
        }
        let self_loops_dropped = (before - events.len()) as u64;
        events.par_sort_unstable_by(|(a, _), (b, _)| {
            (a.source, a.target, a.time, a.kind, a.weight.to_bits()).cmp(&(
                b.source,
                b.target,
                b.time,
                b.kind,
                b.weight.to_bits(),
            ))
        });
        let mut layer = InteractionLayer {
            kinds,
            offsets: vec![0; n + 1],
            ..Default::default()
        };
        let mut duplicates_merged = 0u64;
        let mut last_source = None;
        for (e, count) in events {
            let last = layer.targets.len();
            if last > 0
                && last_source == Some(e.source)
                && layer.targets[last - 1] == e.target
                && layer.times[last - 1] == e.time
                && layer.event_kinds[last - 1] == e.kind
            {
                layer.weights[last - 1] += e.weight;
                layer.counts[last - 1] += count;
                duplicates_merged += u64::from(count);
                continue;
            }
            last_source = Some(e.source);
            layer.offsets[e.source as usize + 1] += 1;
            layer.targets.push(e.target);
            layer.event_kinds.push(e.kind);
            layer.times.push(e.time);
            layer.weights.push(e.weight);
            layer.counts.push(count);
        }
        for u in 0..n {
            layer.offsets[u + 1] += layer.offsets[u];
        }
        (
            layer,
            InteractionBuildStats {
                duplicates_merged,
                self_loops_dropped,
            },
        )
    }

    /// The kind names.
    pub fn kinds(&self) -> &KindTable {
        &self.kinds
    }

    /// Number of people the layer spans.
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of distinct events (after merging exact duplicates).
    pub fn event_count(&self) -> usize {
        self.targets.len()
    }

    /// The range of `source`'s events in the per-event arrays.
    #[inline]
    pub fn row_range(&self, source: usize) -> std::ops::Range<usize> {
        self.offsets[source] as usize..self.offsets[source + 1] as usize
    }

    /// The `n + 1` offsets by source.
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// Target of every event.
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// Kind of every event.
    pub fn event_kinds(&self) -> &[KindId] {
        &self.event_kinds
    }

    /// Time of every event ([`NO_TIME`] where unknown).
    pub fn times(&self) -> &[i64] {
        &self.times
    }

    /// Weight of every event (summed over merged duplicates).
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// How many input events each stored event stands for.
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// Iterates over every event as an [`Interaction`] (with merged weight), grouped by source.
    pub fn iter(&self) -> impl Iterator<Item = Interaction> + '_ {
        (0..self.node_count()).flat_map(move |u| {
            self.row_range(u).map(move |i| Interaction {
                source: u as u32,
                target: self.targets[i],
                kind: self.event_kinds[i],
                time: self.times[i],
                weight: self.weights[i],
            })
        })
    }

    /// Number of stored events of each kind (index = kind id), counting merged duplicates.
    pub fn count_by_kind(&self) -> Vec<u64> {
        let mut out = vec![0u64; self.kinds.len()];
        for (k, &c) in self.event_kinds.iter().zip(&self.counts) {
            out[k.0 as usize] += c as u64;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(source: u32, target: u32, kind: u16, time: i64) -> Interaction {
        Interaction {
            source,
            target,
            kind: KindId(kind),
            time,
            weight: 1.0,
        }
    }

    #[test]
    fn kinds_are_case_insensitive_and_custom_kinds_append() {
        let mut k = KindTable::default();
        assert_eq!(k.intern("Reply"), Some(KindId(0)));
        assert_eq!(k.intern("boost"), Some(KindId(7)));
        assert_eq!(k.lookup("BOOST"), Some(KindId(7)));
        assert_eq!(k.name(KindId(7)), "boost");
    }

    #[test]
    fn events_sorted_merged_and_loops_dropped() {
        let events = vec![
            ev(2, 0, 0, 5),
            ev(0, 1, 1, 3),
            ev(0, 1, 1, 3),
            ev(1, 1, 0, 1),
            ev(0, 1, 0, 1),
        ];
        let (layer, stats) = InteractionLayer::build(3, KindTable::default(), events, false);
        assert_eq!(stats.duplicates_merged, 1);
        assert_eq!(stats.self_loops_dropped, 1);
        assert_eq!(layer.event_count(), 3);
        assert_eq!(layer.row_range(0), 0..2);
        assert_eq!(layer.times()[..2], [1, 3]);
        assert_eq!(layer.weights()[1], 2.0);
        assert_eq!(layer.counts()[1], 2);
        assert_eq!(layer.row_range(2), 2..3);
        assert_eq!(layer.count_by_kind()[..2], [2, 2]);
    }
}
