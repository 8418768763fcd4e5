//! The scheme-parameter block (EIP-8310, "New `scheme` object") of every instance ndvt supports.
//!
//! The block names the hash and the target-sum encoding's parameters; ndvt maps it back to an instance by
//! matching every field, so a block that differs in any parameter is refused rather than guessed. The
//! parameters are immutable and bound to the ciphertext (they are part of the AEAD's associated data).

use ndvt_xmss::leanvm::{LeanVm, LeanVmTest};
use ndvt_xmss::{Devnet4, Instance, TestInstance};
use serde::{Deserialize, Serialize};

use crate::error::KeystoreError;

/// `scheme.name` for every ndvt key: lean consensus' generalized XMSS.
pub(crate) const SCHEME_NAME: &str = "leanxmss";
/// The only index mode ndvt signs in: one leaf per slot, the slot as the XMSS epoch.
pub(crate) const INDEX_MODE: &str = "synchronized";

/// One supported instance and its scheme parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemeEntry {
    /// ndvt's instance name (`--instance`, the key directory's `instance` file).
    pub instance: &'static str,
    /// `scheme.params.hash`: the tweakable hash and its field.
    pub hash: &'static str,
    /// `tree_height`: log2 of the lifetime.
    pub tree_height: u32,
    /// `winternitz_w`: the chains' base.
    pub winternitz_w: u32,
    /// `dimension`: the number of chains.
    pub dimension: u32,
    /// `target_sum`.
    pub target_sum: u32,
    /// Bytes of the instance's public key (the keystore's `pubkey`).
    pub public_key_bytes: usize,
    /// The largest secret-key encoding of the instance (bounds the ciphertext).
    pub max_secret_bytes: usize,
}

const fn entry<I: Instance>(hash: &'static str) -> SchemeEntry {
    SchemeEntry {
        instance: I::NAME,
        hash,
        tree_height: I::LOG_LIFETIME,
        winternitz_w: I::BASE as u32,
        dimension: I::DIMENSION as u32,
        target_sum: I::TARGET_SUM as u32,
        public_key_bytes: I::PUBLIC_KEY_BYTES,
        max_secret_bytes: ndvt_xmss::SecretKey::<I>::MAX_ENCODED_LEN,
    }
}

/// The instances a keystore may hold: leanSig's Devnet 4 set and its test set (Poseidon1 over KoalaBear),
/// leanVM's BLAKE2s set and its test set.
pub const SCHEMES: [SchemeEntry; 4] = [
    entry::<Devnet4>("poseidon1-koalabear"),
    entry::<TestInstance>("poseidon1-koalabear"),
    entry::<LeanVm>("blake2s-256"),
    entry::<LeanVmTest>("blake2s-256"),
];

impl SchemeEntry {
    /// The entry of instance `I`, if supported.
    pub fn of<I: Instance>() -> Result<&'static SchemeEntry, KeystoreError> {
        SCHEMES.iter().find(|e| e.instance == I::NAME).ok_or_else(|| {
            KeystoreError::UnsupportedParameters(format!("instance {} has no keystore scheme", I::NAME))
        })
    }

    /// `lifetime_leaves = 2^tree_height` (one hypertree layer).
    pub fn lifetime_leaves(&self) -> u64 {
        1u64 << self.tree_height
    }
}

/// `scheme.params` as written: every field EIP-8310 lists, nothing else (an unknown field could change what
/// the parameters mean, so it is refused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParamsJson {
    pub hash: String,
    pub tree_height: u32,
    pub hypertree_layers: u32,
    pub encoding: String,
    pub winternitz_w: u32,
    pub dimension: u32,
    pub target_sum: u32,
    pub index_mode: String,
    pub activation_epoch: u64,
    pub lifetime_leaves: u64,
}

/// `scheme`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SchemeJson {
    pub name: String,
    pub params: ParamsJson,
}

impl SchemeJson {
    /// The block of `entry` for a key whose activation starts at `activation_epoch`.
    pub(crate) fn new(entry: &SchemeEntry, activation_epoch: u64) -> Self {
        SchemeJson {
            name: SCHEME_NAME.into(),
            params: ParamsJson {
                hash: entry.hash.into(),
                tree_height: entry.tree_height,
                hypertree_layers: 1,
                encoding: "target_sum".into(),
                winternitz_w: entry.winternitz_w,
                dimension: entry.dimension,
                target_sum: entry.target_sum,
                index_mode: INDEX_MODE.into(),
                activation_epoch,
                lifetime_leaves: entry.lifetime_leaves(),
            },
        }
    }

    /// Reads `scheme` from its JSON: the name first (an unknown scheme is refused as such), then the
    /// parameters, which must match one supported instance exactly.
    pub(crate) fn parse(value: serde_json::Value) -> Result<(Self, &'static SchemeEntry), KeystoreError> {
        let name = value.get("name").and_then(|n| n.as_str()).ok_or_else(|| KeystoreError::Field {
            field: "scheme.name",
            why: "missing or not a string".into(),
        })?;
        if name != SCHEME_NAME {
            return Err(KeystoreError::UnknownScheme(name.to_string()));
        }
        let scheme: SchemeJson =
            serde_json::from_value(value).map_err(|e| KeystoreError::UnsupportedParameters(e.to_string()))?;
        let p = &scheme.params;
        let unsupported = |why: String| Err(KeystoreError::UnsupportedParameters(why));
        if p.hypertree_layers != 1 {
            return unsupported(format!("hypertree_layers = {}, leanxmss has exactly 1", p.hypertree_layers));
        }
        if p.encoding != "target_sum" {
            return unsupported(format!("encoding {:?}, expected \"target_sum\"", p.encoding));
        }
        if p.index_mode != INDEX_MODE {
            return unsupported(format!(
                "index_mode {:?}: ndvt signs in synchronized mode only (one leaf per slot)",
                p.index_mode
            ));
        }
        let Some(entry) = SCHEMES.iter().find(|e| {
            e.hash == p.hash
                && e.tree_height == p.tree_height
                && e.winternitz_w == p.winternitz_w
                && e.dimension == p.dimension
                && e.target_sum == p.target_sum
        }) else {
            return unsupported(format!(
                "hash {:?}, tree_height {}, w {}, dimension {}, target_sum {}",
                p.hash, p.tree_height, p.winternitz_w, p.dimension, p.target_sum
            ));
        };
        if p.lifetime_leaves != entry.lifetime_leaves() {
            return unsupported(format!(
                "lifetime_leaves = {}, but 2^tree_height = {}",
                p.lifetime_leaves,
                entry.lifetime_leaves()
            ));
        }
        if p.activation_epoch >= entry.lifetime_leaves() {
            return unsupported(format!("activation_epoch {} is beyond the lifetime", p.activation_epoch));
        }
        Ok((scheme, entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instance_has_its_own_parameters() {
        for (i, a) in SCHEMES.iter().enumerate() {
            for b in &SCHEMES[i + 1..] {
                assert_ne!(
                    (a.hash, a.tree_height, a.winternitz_w, a.dimension, a.target_sum),
                    (b.hash, b.tree_height, b.winternitz_w, b.dimension, b.target_sum),
                    "{} and {} are indistinguishable",
                    a.instance,
                    b.instance
                );
            }
        }
        // EIP-8310's example block is leanSig's 2^32 production set, ndvt's Devnet 4.
        let d = SchemeEntry::of::<Devnet4>().unwrap();
        assert_eq!((d.tree_height, d.winternitz_w, d.dimension, d.target_sum), (32, 8, 46, 200));
        assert_eq!(d.lifetime_leaves(), 4_294_967_296);
        // The byte sets are not lean consensus schemes: no block, a typed refusal.
        assert!(matches!(
            SchemeEntry::of::<ndvt_xmss::byte_xmss::Sha3Test>(),
            Err(KeystoreError::UnsupportedParameters(_))
        ));
    }
}
