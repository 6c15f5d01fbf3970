//! The trace hash: a stable 64-bit fingerprint of a run's records. Same scenario + seed ⇒ same
//! records ⇒ same hash, on every platform.
//!
//! The hash ("FNV-1a over words") starts at 0xcbf29ce484222325 and, for each 64-bit word w of a
//! record's canonical encoding, does `h = (h ^ w) × 0x100000001b3 (mod 2^64)`. The canonical
//! encoding is produced by serde from the record itself ([`hash_record`]): the time, then every
//! field in declaration order; integers widen to u64, enum variants are their index (records are
//! externally tagged, so no variant name is hashed), strings are their length followed by their
//! bytes packed little-endian into words. Nothing depends on the
//! platform's word size or on `DefaultHasher`, whose algorithm may change between Rust releases.

use serde::Serialize;

/// The FNV-1a 64-bit offset basis: the hash of an empty trace.
pub const HASH_START: u64 = 0xcbf2_9ce4_8422_2325;
const HASH_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Formats a trace hash the way reports and the UI show it: 16 lowercase hex digits.
pub fn format_hash(hash: u64) -> String {
    format!("{hash:016x}")
}

/// Folds one record into `hash` (see the module docs for the encoding).
pub fn hash_record<T: Serialize + ?Sized>(hash: u64, record: &T) -> u64 {
    let mut hasher = WordHasher(hash);
    // The serializer below cannot fail, so the result carries no information.
    let _ = record.serialize(&mut hasher);
    hasher.0
}

struct WordHasher(u64);

impl WordHasher {
    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(HASH_PRIME);
    }
    fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
    }
}

/// The only error the hasher could report; it never does.
#[derive(Debug)]
pub struct NeverFails;

impl std::fmt::Display for NeverFails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("hashing never fails")
    }
}
impl std::error::Error for NeverFails {}
impl serde::ser::Error for NeverFails {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NeverFails
    }
}

macro_rules! hash_as_word {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), NeverFails> {
            self.word(v as u64);
            Ok(())
        })*
    };
}

impl serde::Serializer for &mut WordHasher {
    type Ok = ();
    type Error = NeverFails;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    hash_as_word!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_char: char);

    fn serialize_f32(self, v: f32) -> Result<(), NeverFails> {
        self.word(v.to_bits() as u64);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), NeverFails> {
        self.word(v.to_bits());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), NeverFails> {
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), NeverFails> {
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), NeverFails> {
        self.word(0);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), NeverFails> {
        self.word(1);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NeverFails> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), NeverFails> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Result<(), NeverFails> {
        self.word(index as u64);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result<(), NeverFails> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), NeverFails> {
        self.word(index as u64);
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, NeverFails> {
        self.word(len.unwrap_or(0) as u64);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, NeverFails> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, NeverFails> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, NeverFails> {
        self.word(index as u64);
        Ok(self)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, NeverFails> {
        self.word(len.unwrap_or(0) as u64);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NeverFails> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, NeverFails> {
        self.word(index as u64);
        Ok(self)
    }
}

macro_rules! compound {
    ($trait:ident, $method:ident $(, $key:ident)?) => {
        impl serde::ser::$trait for &mut WordHasher {
            type Ok = ();
            type Error = NeverFails;
            fn $method<T: ?Sized + Serialize>(&mut self, $($key: &'static str,)? value: &T) -> Result<(), NeverFails> {
                $(let _ = $key;)?
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), NeverFails> {
                Ok(())
            }
        }
    };
}

compound!(SerializeSeq, serialize_element);
compound!(SerializeTuple, serialize_element);
compound!(SerializeTupleStruct, serialize_field);
compound!(SerializeTupleVariant, serialize_field);
compound!(SerializeStruct, serialize_field, key);
compound!(SerializeStructVariant, serialize_field, key);

impl serde::ser::SerializeMap for &mut WordHasher {
    type Ok = ();
    type Error = NeverFails;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), NeverFails> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), NeverFails> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), NeverFails> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_hash_follows_its_definition() {
        // One u64 field: h = (basis ^ 7) × prime.
        assert_eq!(
            hash_record(HASH_START, &7u64),
            (HASH_START ^ 7).wrapping_mul(HASH_PRIME)
        );
        // A string is its length then its bytes packed little-endian.
        let mut expected = (HASH_START ^ 3).wrapping_mul(HASH_PRIME);
        expected = (expected ^ u64::from_le_bytes(*b"abc\0\0\0\0\0")).wrapping_mul(HASH_PRIME);
        assert_eq!(hash_record(HASH_START, "abc"), expected);
    }

    #[test]
    fn field_order_and_values_change_the_hash() {
        assert_ne!(
            hash_record(HASH_START, &(1u32, 2u32)),
            hash_record(HASH_START, &(2u32, 1u32))
        );
        assert_ne!(
            hash_record(HASH_START, &Some(0u8)),
            hash_record(HASH_START, &None::<u8>)
        );
    }
}
