//! The two BLAKE2s functions of the leanVM instance, one call at a time:
//!
//! - the tweak hash `Th(pp, tweak, payload) = BLAKE2s-256(tweak ‖ pp ‖ payload)[..16]` (RFC 7693, unkeyed);
//! - the PRF `PRF(seed, domain, a, b) = keyed BLAKE2s-256(key = seed, LE32(domain) ‖ LE64(a) ‖ LE64(b))[..16]`.
//!
//! Costs in BLAKE2s compressions: a chain step (48 bytes) and a Merkle node (64) one each, the message
//! encoding (96) two, a leaf (704) eleven, a PRF call two (the key block, then the message).

use blake2::digest::{KeyInit, Mac};
use blake2::{Blake2s256, Blake2sMac256, Digest as _};

/// A 16-byte digest: tree node, chain value, public parameter.
pub type Node = [u8; 16];

/// The tweak hash.
pub fn th(parameter: &Node, tweak: &[u8; 16], payload: &[&[u8]]) -> Node {
    let mut h = Blake2s256::new();
    h.update(tweak);
    h.update(parameter);
    for part in payload {
        h.update(part);
    }
    truncate(&h.finalize().into())
}

/// Keyed BLAKE2s-256 of `message` under the 32-byte `key`, in full.
pub fn keyed(key: &[u8; 32], message: &[&[u8]]) -> [u8; 32] {
    // A 32-byte key is always valid for BLAKE2s (keys of 1 to 32 bytes); the fallback is unreachable.
    let Ok(mut mac) = <Blake2sMac256 as KeyInit>::new_from_slice(key) else { return [0; 32] };
    for part in message {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The 20-byte PRF input of (domain, a, b).
pub fn prf_input(domain: u32, a: u64, b: u64) -> [u8; 20] {
    let mut input = [0u8; 20];
    input[..4].copy_from_slice(&domain.to_le_bytes());
    input[4..12].copy_from_slice(&a.to_le_bytes());
    input[12..].copy_from_slice(&b.to_le_bytes());
    input
}

/// The PRF.
pub fn prf(seed: &[u8; 32], domain: u32, a: u64, b: u64) -> Node {
    let mut full = keyed(seed, &[&prf_input(domain, a, b)]);
    let out = truncate(&full);
    crate::field::wipe(&mut full, 0);
    out
}

fn truncate(full: &[u8; 32]) -> Node {
    core::array::from_fn(|i| full[i])
}
