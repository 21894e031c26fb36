//! Serde helpers that store large numeric arrays as one little-endian byte string.
//!
//! Serialising a hundred million `u32`s one `serialize_u32` call at a time is what makes a naive
//! snapshot slow to reload. These helpers hand the serializer a single byte string instead, and
//! read it back with a tight conversion loop (borrowing the bytes when the format allows), so
//! reloading a snapshot runs near memory speed. Used with `#[serde(with = "crate::packed")]`.

use serde::de::{Deserializer, Error as _, Visitor};
use serde::Serializer;

/// Arrays of at least this many bytes are converted in parallel.
const PARALLEL_BYTES: usize = 1 << 20;

/// A fixed-size number with a little-endian byte form.
pub trait Packed: Copy + Send + Sync {
    /// Bytes per value.
    const SIZE: usize;
    /// Appends the little-endian bytes of `self`.
    fn put(self, out: &mut Vec<u8>);
    /// Reads a value from exactly [`Packed::SIZE`] bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! packed_number {
    ($($t:ty),*) => {$(
        impl Packed for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
packed_number!(u16, u32, u64, i64, f32, f64);

impl Packed for crate::interactions::KindId {
    const SIZE: usize = 2;
    #[inline]
    fn put(self, out: &mut Vec<u8>) {
        self.0.put(out)
    }
    #[inline]
    fn get(bytes: &[u8]) -> Self {
        crate::interactions::KindId(u16::get(bytes))
    }
}

/// Serialises a slice of numbers as one byte string.
pub fn serialize<S, T, C>(values: &C, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Packed,
    C: AsRef<[T]>,
{
    let values = values.as_ref();
    let mut bytes = Vec::with_capacity(values.len() * T::SIZE);
    for &v in values {
        v.put(&mut bytes);
    }
    serializer.serialize_bytes(&bytes)
}

/// Reads back what [`serialize`] wrote.
pub fn deserialize<'de, D, T, C>(deserializer: D) -> Result<C, D::Error>
where
    D: Deserializer<'de>,
    T: Packed,
    C: From<Vec<T>>,
{
    struct BytesVisitor<T>(std::marker::PhantomData<T>);
    impl<T: Packed> Visitor<'_> for BytesVisitor<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a byte string of {}-byte numbers", T::SIZE)
        }
        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
            if bytes.len() % T::SIZE != 0 {
                return Err(E::custom(format!(
                    "array of {} bytes is not a whole number of {}-byte values",
                    bytes.len(),
                    T::SIZE
                )));
            }
            // Large arrays convert in parallel: this loop is most of a snapshot's reload time.
            if bytes.len() >= PARALLEL_BYTES {
                use rayon::prelude::*;
                Ok(bytes.par_chunks_exact(T::SIZE).map(T::get).collect())
            } else {
                Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
            }
        }
        fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<Vec<T>, E> {
            self.visit_bytes(&bytes)
        }
    }
    let v = deserializer
        .deserialize_bytes(BytesVisitor::<T>(std::marker::PhantomData))
        .map_err(D::Error::custom)?;
    Ok(C::from(v))
}
