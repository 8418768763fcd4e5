//! How one leanVM revision lays out its tweaks and derives a key's secrets: a type, so that a later
//! revision (leanVM main moved the tweak fields, renumbered the types, derived secrets through the tweak
//! hash and made signing deterministic) is a second implementation of [`LeanVmLayout`] and a new parameter
//! set, not a fork of the code.

use core::fmt::Debug;

/// The four uses of the tweak hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TweakKind {
    /// A chain step.
    Chain,
    /// The leaf: the hash of an epoch's chain ends (its one-time public key).
    Leaf,
    /// A Merkle node above the leaves.
    Node,
    /// The message encoding.
    Message,
}

/// A leanVM revision's byte rules.
pub trait LeanVmLayout: Copy + Default + Debug + Eq + Send + Sync + 'static {
    /// The revision, for reports.
    const REVISION: &'static str;
    /// PRF domain of the chain secrets (chain value 0), keyed by (epoch, chain index).
    const PRF_CHAIN: u32;
    /// PRF domain of the public parameter, keyed by (0, 0).
    const PRF_PARAMETER: u32;
    /// PRF domain of the filler nodes, keyed by (level, index).
    const PRF_FILLER: u32;

    /// The 16-byte tweak of one call.
    fn tweak(kind: TweakKind, sub_position: u32, index: u32) -> [u8; 16];

    /// The tweak as the four little-endian words the lanes hash (a revision may compute them directly:
    /// chain walks build one per step and lane).
    #[inline(always)]
    fn tweak_words(kind: TweakKind, sub_position: u32, index: u32) -> [u32; 4] {
        crate::leanvm::lanes::words(&Self::tweak(kind, sub_position, index))
    }

    /// The sub-position of the chain step out of value `value` of chain `chain` (at most 255 chains of
    /// length at most 8 fit the layout of 5df6c37).
    fn chain_position(chain: usize, value: u8) -> u32;

    /// What the randomness of every signing attempt at (`epoch`, `message`) derives from. 5df6c37 draws
    /// rho from an RNG, which no verifier can tell apart; ndvt derives it, so that signing is deterministic
    /// and re-signing one (epoch, message) gives the same bytes: a keyed BLAKE2s of the seed over a domain
    /// string, the epoch and the message (an input of 54 bytes, never the PRF's 20), cut to 16 bytes.
    fn rho_base(seed: &[u8; 32], epoch: u32, message: &[u8; 32]) -> [u8; 16] {
        let mut full = crate::leanvm::keyed(seed, &[RHO_DOMAIN, &epoch.to_le_bytes(), message]);
        let base = core::array::from_fn(|i| full[i]);
        crate::field::wipe(&mut full, 0);
        base
    }

    /// The randomness of attempt `attempt`: the base, then the attempt number.
    fn rho(base: &[u8; 16], attempt: u64) -> [u8; 24] {
        let mut rho = [0u8; 24];
        rho[..16].copy_from_slice(base);
        rho[16..].copy_from_slice(&attempt.to_le_bytes());
        rho
    }
}

/// The type byte of 5df6c37's tweaks.
#[inline(always)]
fn kind_byte(kind: TweakKind) -> u8 {
    match kind {
        TweakKind::Chain => 0,
        TweakKind::Leaf => 1,
        TweakKind::Node => 2,
        TweakKind::Message => 3,
    }
}

/// Domain of ndvt's derived signing randomness.
const RHO_DOMAIN: &[u8] = b"ndvt/leanvm/rho/v1";

/// leanVM-b commit 5df6c37 (2026-08-22), the revision the repository's vectors were generated from
/// (testdata/vectors/leanvm-blake2s): tweak = type (u8) ‖ sub_position (LE32) ‖ index (LE32) ‖ 0^7.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rev5df6c37;

impl LeanVmLayout for Rev5df6c37 {
    const REVISION: &'static str = "leanVM-b 5df6c37";
    const PRF_CHAIN: u32 = 1000;
    const PRF_PARAMETER: u32 = 1001;
    const PRF_FILLER: u32 = 1002;

    fn tweak(kind: TweakKind, sub_position: u32, index: u32) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[0] = kind_byte(kind);
        out[1..5].copy_from_slice(&sub_position.to_le_bytes());
        out[5..9].copy_from_slice(&index.to_le_bytes());
        out
    }

    /// Bytes 0..9 of the tweak are one type byte and two little-endian words, so the words are shifts.
    #[inline(always)]
    fn tweak_words(kind: TweakKind, sub_position: u32, index: u32) -> [u32; 4] {
        let kind = u32::from(kind_byte(kind));
        [kind | (sub_position << 8), (sub_position >> 24) | (index << 8), index >> 24, 0]
    }

    /// Wrapping arithmetic (the layout bounds the chains, so nothing wraps): with overflow checks on (the
    /// test profile the benchmarks use), a checked multiply keeps batch verification's lane loop over the
    /// tweaks from vectorizing.
    #[inline(always)]
    fn chain_position(chain: usize, value: u8) -> u32 {
        (chain as u32).wrapping_mul(8).wrapping_add(u32::from(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The direct tweak words are the words of the tweak bytes.
        #[test]
        fn tweak_words_are_the_tweak_bytes(kind in 0..4u8, sub in any::<u32>(), index in any::<u32>()) {
            let kind = [TweakKind::Chain, TweakKind::Leaf, TweakKind::Node, TweakKind::Message][usize::from(kind)];
            prop_assert_eq!(
                Rev5df6c37::tweak_words(kind, sub, index),
                crate::leanvm::lanes::words(&Rev5df6c37::tweak(kind, sub, index))
            );
        }
    }
}
