//! The signing record: which epochs a key has used up, in a small checksummed file bound to its key.
//!
//! ```text
//! magic "NDVTREC2" ‖ instance name length u8 ‖ name ‖ key binding 32 B ‖ next_epoch u64 ‖ has_last u8 ‖
//! last_epoch u64 ‖ last_message 32 B ‖ SHA3-256 of everything before it
//! ```
//! Every epoch below `next_epoch` is burned. `last` is the most recent persisted signature's (epoch, message),
//! kept so that an identical repeat returns identical bytes (signing is deterministic) instead of an error.
//! With a reservation, `next_epoch` is the end of the reserved range, which lies above `last`.
//!
//! The key binding is SHA3-256 of a domain tag, the instance name and the public key's bytes. A record copied
//! from another key's directory therefore fails to open ([`DurableError::RecordOfAnotherKey`]) instead of
//! silently resetting this key's watermark. Records of the first format (`NDVTREC1`), which carried no binding,
//! are refused with [`DurableError::UnboundRecord`]: nothing in them proves which key they belong to.

use sha3::{Digest as _, Sha3_256};

use super::DurableError;

const MAGIC: &[u8; 8] = b"NDVTREC2";
const MAGIC_V1: &[u8; 8] = b"NDVTREC1";
const BINDING_DOMAIN: &[u8] = b"ndvt/durable/record-binding/v1\0";

/// The persistent signing state of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// The lowest epoch that may still be signed (for a new message).
    pub next_epoch: u64,
    /// The last signed (epoch, message), if any.
    pub last: Option<(u64, [u8; 32])>,
}

/// What ties a record to one key: SHA3-256 of the domain, the instance name and the public key bytes.
pub(crate) fn key_binding(instance: &str, public_key: &[u8]) -> [u8; 32] {
    let mut h = Sha3_256::new();
    h.update(BINDING_DOMAIN);
    h.update([instance.len() as u8]);
    h.update(instance.as_bytes());
    h.update(public_key);
    h.finalize().into()
}

impl Record {
    /// The highest signed epoch, if any epoch was signed.
    pub fn watermark(&self) -> Option<u64> {
        self.last.map(|(e, _)| e)
    }

    /// The largest encoding of a record (instance names are at most 255 bytes).
    pub(crate) const MAX_ENCODED_LEN: usize = 8 + 1 + 255 + 32 + 8 + 1 + 8 + 32 + 32;

    pub(crate) fn encode(&self, instance: &str, binding: &[u8; 32]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(instance.len() as u8);
        out.extend_from_slice(instance.as_bytes());
        out.extend_from_slice(binding);
        out.extend_from_slice(&self.next_epoch.to_le_bytes());
        let (has, epoch, message) = match self.last {
            Some((e, m)) => (1u8, e, m),
            None => (0, 0, [0; 32]),
        };
        out.push(has);
        out.extend_from_slice(&epoch.to_le_bytes());
        out.extend_from_slice(&message);
        let sum = Sha3_256::digest(&out);
        out.extend_from_slice(&sum);
        out
    }

    /// Decodes a record and checks that it belongs to the key whose binding is `binding`.
    pub(crate) fn decode(bytes: &[u8], instance: &str, binding: &[u8; 32]) -> Result<Self, DurableError> {
        let corrupt = |why: &'static str| DurableError::CorruptRecord(why);
        if bytes.starts_with(MAGIC_V1) {
            return Err(DurableError::UnboundRecord);
        }
        let body_len = 8 + 1 + instance.len() + 32 + 8 + 1 + 8 + 32;
        if bytes.len() != body_len + 32 {
            return Err(corrupt("wrong length"));
        }
        let (body, sum) = bytes.split_at(body_len);
        if Sha3_256::digest(body).as_slice() != sum {
            return Err(corrupt("checksum mismatch"));
        }
        if &body[..8] != MAGIC
            || usize::from(body[8]) != instance.len()
            || &body[9..9 + instance.len()] != instance.as_bytes()
        {
            return Err(corrupt("not a record of this instance"));
        }
        let rest = &body[9 + instance.len()..];
        if &rest[..32] != binding {
            return Err(DurableError::RecordOfAnotherKey);
        }
        let rest = &rest[32..];
        let u64_at = |at: usize| u64::from_le_bytes(core::array::from_fn(|i| rest[at + i]));
        let next_epoch = u64_at(0);
        let last = match rest[8] {
            0 => None,
            1 => Some((u64_at(9), core::array::from_fn(|i| rest[17 + i]))),
            _ => return Err(corrupt("bad flag")),
        };
        if let Some((e, _)) = last
            && e >= next_epoch
        {
            return Err(corrupt("last epoch is not below the next epoch"));
        }
        Ok(Record { next_epoch, last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_bit_flip_is_caught() {
        let binding = key_binding("test", &[1; 52]);
        let r = Record { next_epoch: 43, last: Some((42, [9; 32])) };
        let bytes = r.encode("test", &binding);
        assert!(bytes.len() <= Record::MAX_ENCODED_LEN);
        assert_eq!(Record::decode(&bytes, "test", &binding).unwrap(), r);
        for i in 0..bytes.len() * 8 {
            let mut b = bytes.clone();
            b[i / 8] ^= 1 << (i % 8);
            assert!(Record::decode(&b, "test", &binding).is_err(), "bit {i}");
        }
        assert!(Record::decode(&bytes, "devnet4", &binding).is_err());
    }

    #[test]
    fn a_record_of_another_key_is_refused() {
        let r = Record { next_epoch: 7, last: Some((6, [1; 32])) };
        let bytes = r.encode("test", &key_binding("test", &[1; 52]));
        let other = key_binding("test", &[2; 52]);
        assert!(matches!(Record::decode(&bytes, "test", &other), Err(DurableError::RecordOfAnotherKey)));
    }

    #[test]
    fn a_first_format_record_is_refused_as_unbound() {
        let mut v1 = MAGIC_V1.to_vec();
        v1.extend_from_slice(&[0; 80]);
        let binding = key_binding("test", &[1; 52]);
        assert!(matches!(Record::decode(&v1, "test", &binding), Err(DurableError::UnboundRecord)));
    }
}
