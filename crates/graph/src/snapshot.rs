//! The versioned binary snapshot: a whole [`SocialGraph`] saved once, reloaded nearly for free.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | what |
//! |---|---|
//! | 8 | magic `CTXGRAPH` |
//! | 4 | format version ([`FORMAT_VERSION`]) |
//! | 4 | length `h` of the writer string |
//! | h | writer, e.g. `contextivity-graph 0.1.0` (UTF-8) |
//! | 8 | payload length `p` |
//! | 8 | checksum of the payload |
//! | p | the graph, bincode 2 with fixed-width integers; large arrays as byte strings |
//!
//! A file with another magic, another format version, fewer bytes than announced or a payload
//! whose checksum does not match is refused with a [`SnapshotError`] before any decoding, so a
//! truncated or corrupted file never becomes a garbage graph. This module is the only user of
//! bincode in the project.

use std::io::{Read, Write};

use thiserror::Error;

use crate::graph::SocialGraph;

/// First bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"CTXGRAPH";
/// Version of the layout and payload; bumped whenever either changes.
pub const FORMAT_VERSION: u32 = 1;
/// The writer string this build records.
pub const WRITER: &str = concat!("contextivity-graph ", env!("CARGO_PKG_VERSION"));
/// Conventional file extension.
pub const EXTENSION: &str = "ctxg";

/// Why a snapshot could not be written or read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// Reading or writing failed.
    #[error("snapshot I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// The file does not start with the snapshot magic bytes.
    #[error("not a contextivity snapshot (the file does not start with the magic bytes CTXGRAPH)")]
    NotASnapshot,
    /// Written with a different layout version.
    #[error(
        "snapshot format version {found} (written by {writer}) cannot be read by this build, which reads version {expected}: load the original export again and write a new snapshot"
    )]
    VersionMismatch {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
        /// Who wrote the file.
        writer: String,
    },
    /// The file ends before the announced payload does.
    #[error("snapshot is truncated: expected {expected} bytes of graph data, found {found}")]
    Truncated {
        /// Bytes announced.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// The payload's checksum does not match: the file was altered or damaged.
    #[error(
        "snapshot is corrupted: checksum {found:016x} does not match the recorded {expected:016x}"
    )]
    Corrupted {
        /// Checksum recorded in the header.
        expected: u64,
        /// Checksum of the bytes present.
        found: u64,
    },
    /// The payload could not be encoded or decoded.
    #[error("snapshot payload is invalid: {0}")]
    Payload(String),
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard()
        .with_little_endian()
        .with_fixed_int_encoding()
}

/// Writes `graph` as a snapshot.
pub fn write<W: Write>(graph: &SocialGraph, mut out: W) -> Result<(), SnapshotError> {
    let payload = bincode::serde::encode_to_vec(graph, config())
        .map_err(|e| SnapshotError::Payload(e.to_string()))?;
    out.write_all(&MAGIC)?;
    out.write_all(&FORMAT_VERSION.to_le_bytes())?;
    out.write_all(&(WRITER.len() as u32).to_le_bytes())?;
    out.write_all(WRITER.as_bytes())?;
    out.write_all(&(payload.len() as u64).to_le_bytes())?;
    out.write_all(&checksum(&payload).to_le_bytes())?;
    out.write_all(&payload)?;
    out.flush()?;
    Ok(())
}

/// Whether `prefix` (the first bytes of a file) looks like a snapshot.
pub fn is_snapshot(prefix: &[u8]) -> bool {
    prefix.starts_with(&MAGIC)
}

/// Reads a snapshot written by [`write`].
pub fn read<R: Read>(mut input: R) -> Result<SocialGraph, SnapshotError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    from_bytes(&bytes)
}

/// Decodes a snapshot held in memory.
pub fn from_bytes(bytes: &[u8]) -> Result<SocialGraph, SnapshotError> {
    if bytes.len() < MAGIC.len() || !is_snapshot(bytes) {
        return Err(SnapshotError::NotASnapshot);
    }
    let mut at = MAGIC.len();
    let mut take = |len: usize| -> Result<&[u8], SnapshotError> {
        let part = bytes.get(at..at + len).ok_or(SnapshotError::Truncated {
            expected: (at + len) as u64,
            found: bytes.len() as u64,
        })?;
        at += len;
        Ok(part)
    };
    let version = u32::from_le_bytes(fixed(take(4)?));
    let writer_len = u32::from_le_bytes(fixed(take(4)?)) as usize;
    if writer_len > 4096 {
        return Err(SnapshotError::Payload(
            "writer string longer than 4096 bytes".into(),
        ));
    }
    let writer = String::from_utf8_lossy(take(writer_len)?).into_owned();
    if version != FORMAT_VERSION {
        return Err(SnapshotError::VersionMismatch {
            found: version,
            expected: FORMAT_VERSION,
            writer,
        });
    }
    let payload_len = u64::from_le_bytes(fixed(take(8)?));
    let expected_sum = u64::from_le_bytes(fixed(take(8)?));
    let header = at;
    let present = (bytes.len() - header) as u64;
    if present < payload_len {
        return Err(SnapshotError::Truncated {
            expected: payload_len,
            found: present,
        });
    }
    if present > payload_len {
        return Err(SnapshotError::Payload(format!(
            "{} unexpected bytes after the graph data",
            present - payload_len
        )));
    }
    let payload = &bytes[header..];
    let found_sum = checksum(payload);
    if found_sum != expected_sum {
        return Err(SnapshotError::Corrupted {
            expected: expected_sum,
            found: found_sum,
        });
    }
    let (graph, used): (SocialGraph, usize) =
        bincode::serde::borrow_decode_from_slice(payload, config())
            .map_err(|e| SnapshotError::Payload(e.to_string()))?;
    if used != payload.len() {
        return Err(SnapshotError::Payload(
            "graph data ends before the payload does".into(),
        ));
    }
    Ok(graph)
}

fn fixed<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(bytes);
    out
}

/// Bytes per independently hashed block of [`checksum`] (fixed, so the value does not depend on
/// the thread count).
const CHECKSUM_BLOCK: usize = 1 << 20;

/// A fast 64-bit checksum: every 1 MiB block is hashed on its own (in parallel), then the block
/// hashes in order. It detects damage, not tampering.
pub fn checksum(bytes: &[u8]) -> u64 {
    use rayon::prelude::*;
    let blocks: Vec<u64> = bytes
        .par_chunks(CHECKSUM_BLOCK)
        .map(block_checksum)
        .collect();
    let mut h = bytes.len() as u64;
    for b in blocks {
        h = crate::rng::splitmix64(h ^ b);
    }
    h
}

/// The hash of one block: four independent multiply-rotate lanes over 8-byte words.
fn block_checksum(bytes: &[u8]) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let mut lanes = [P1, P2, P1 ^ P2, P1.wrapping_add(P2)];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (k, lane) in lanes.iter_mut().enumerate() {
            let w = u64::from_le_bytes(fixed(&block[k * 8..k * 8 + 8]));
            *lane = (*lane ^ w.wrapping_mul(P2))
                .rotate_left(31)
                .wrapping_mul(P1);
        }
    }
    let mut h = bytes.len() as u64;
    for lane in lanes {
        h = (h ^ lane).wrapping_mul(P1).rotate_left(27);
    }
    for &b in blocks.remainder() {
        h = (h ^ b as u64).wrapping_mul(P2).rotate_left(11);
    }
    crate::rng::splitmix64(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{BuildConfig, GraphBuilder};
    use crate::posts::Post;

    fn sample() -> SocialGraph {
        let mut b = GraphBuilder::new(BuildConfig::default());
        let a = b.node("alice").unwrap();
        let c = b.node("carol ☕").unwrap();
        b.add_follow(a, c, 1.5);
        let k = b.kind("boost").unwrap();
        b.add_interaction(c, a, k, Some(1_700_000_000), 1.0);
        b.set_attribute(a, "bio", "likes #rust");
        b.add_post(Post {
            id: "1".into(),
            author: c,
            text: "hello".into(),
            hashtags: vec!["rust".into()],
            impressions: Some(10),
            ..Default::default()
        });
        b.add_truth_community("team", vec![a, c]);
        b.count_skipped("bad row");
        b.build().unwrap()
    }

    fn bytes_of(g: &SocialGraph) -> Vec<u8> {
        let mut out = Vec::new();
        write(g, &mut out).unwrap();
        out
    }

    #[test]
    fn round_trip_is_identical() {
        let g = sample();
        assert_eq!(from_bytes(&bytes_of(&g)).unwrap(), g);
    }

    #[test]
    fn refuses_other_files() {
        assert!(matches!(
            from_bytes(b"follower,followee\n"),
            Err(SnapshotError::NotASnapshot)
        ));
        assert!(matches!(from_bytes(b""), Err(SnapshotError::NotASnapshot)));
    }

    #[test]
    fn refuses_another_version() {
        let mut b = bytes_of(&sample());
        b[8..12].copy_from_slice(&99u32.to_le_bytes());
        let err = from_bytes(&b).unwrap_err();
        assert!(matches!(
            err,
            SnapshotError::VersionMismatch { found: 99, .. }
        ));
        assert!(err.to_string().contains("version 99"));
    }

    #[test]
    fn refuses_truncation_anywhere() {
        let b = bytes_of(&sample());
        for cut in [9, 13, 20, b.len() / 2, b.len() - 1] {
            assert!(from_bytes(&b[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(
            from_bytes(&b[..b.len() - 1]),
            Err(SnapshotError::Truncated { .. })
        ));
    }

    #[test]
    fn refuses_corruption() {
        let mut b = bytes_of(&sample());
        let last = b.len() - 3;
        b[last] ^= 0x40;
        assert!(matches!(
            from_bytes(&b),
            Err(SnapshotError::Corrupted { .. })
        ));
    }
}
