//! EIP-3076's slashing-protection interchange format, mapped to XMSS epochs.
//!
//! In lean consensus a key signs at most one message per slot and its XMSS epoch *is* the slot, so a key's
//! history reduces to one number: the highest slot it may have signed. ndvt maps the format as follows
//! (docs/KEYSTORE.md, "Signing history"):
//!
//! - **Reading**: for the entries of the key's public key, the highest of every `signed_blocks[].slot`,
//!   `signed_attestations[].source_epoch` and `target_epoch` is taken as used, and the key's watermark is
//!   raised above it. (An attestation is signed at or after its target's slot; EIP-3076 does not record that
//!   slot, so for a history written by another client the target is a lower bound, and the import of the key
//!   itself must bring the real bound as its first epoch.)
//! - **Writing**: ndvt's record knows that every epoch below its next signable epoch `N` is used, not which
//!   message each one signed, so it writes EIP-3076's minimal form: one block at slot `N − 1` and one
//!   attestation with source 0 and target `N − 1`. Any conforming importer then refuses every block at a slot
//!   up to `N − 1` and every attestation whose target is up to `N − 1`, which covers every attestation signed
//!   at those slots (its target is at or before its slot).
//!
//! Numbers are decimal strings, roots and keys `0x`-prefixed hex, as the format prescribes. Unknown fields are
//! ignored (the format's schema does not forbid them); malformed numbers, roots and keys are refused.

use serde::{Deserialize, Serialize};

use crate::error::InterchangeError;

/// The format version this reads and writes.
pub const INTERCHANGE_FORMAT_VERSION: &str = "5";
/// The largest interchange file read (a history of many validators; read no further).
pub const MAX_INTERCHANGE_BYTES: u64 = 64 << 20;
/// The longest public key accepted in an entry (BLS keys are 48 bytes, ndvt's XMSS keys 32 or 52).
const MAX_PUBKEY_BYTES: usize = 1024;

/// A signed block: its slot and, optionally, its signing root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedBlock {
    /// The slot.
    pub slot: u64,
    /// The signing root, if recorded.
    pub signing_root: Option<[u8; 32]>,
}

/// A signed attestation: source and target epochs (slots, in lean) and, optionally, the signing root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedAttestation {
    /// The source checkpoint's epoch.
    pub source_epoch: u64,
    /// The target checkpoint's epoch.
    pub target_epoch: u64,
    /// The signing root, if recorded.
    pub signing_root: Option<[u8; 32]>,
}

/// One validator key's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The public key's bytes.
    pub pubkey: Vec<u8>,
    /// Blocks it signed.
    pub signed_blocks: Vec<SignedBlock>,
    /// Attestations it signed.
    pub signed_attestations: Vec<SignedAttestation>,
}

/// An interchange file, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interchange {
    /// The chain's genesis validators root.
    pub genesis_validators_root: [u8; 32],
    /// Per-key histories.
    pub data: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct MetadataJson {
    interchange_format_version: String,
    genesis_validators_root: String,
}

#[derive(Serialize, Deserialize)]
struct BlockJson {
    slot: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signing_root: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct AttestationJson {
    source_epoch: String,
    target_epoch: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signing_root: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct EntryJson {
    pubkey: String,
    signed_blocks: Vec<BlockJson>,
    signed_attestations: Vec<AttestationJson>,
}

#[derive(Serialize, Deserialize)]
struct FileJson {
    metadata: MetadataJson,
    data: Vec<EntryJson>,
}

fn bad(field: &'static str, why: impl Into<String>) -> InterchangeError {
    InterchangeError::Field { field, why: why.into() }
}

/// A canonical decimal `u64`: digits only, no sign, no leading zero (except `"0"`), in range.
fn number(field: &'static str, text: &str) -> Result<u64, InterchangeError> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(bad(field, format!("{text:?} is not a canonical decimal number")));
    }
    text.parse().map_err(|_| bad(field, format!("{text} does not fit in 64 bits")))
}

/// `0x`-prefixed hex of at most `max` bytes (exactly `max` when `exact`).
fn prefixed_hex(
    field: &'static str,
    text: &str,
    max: usize,
    exact: bool,
) -> Result<Vec<u8>, InterchangeError> {
    let digits = text.strip_prefix("0x").ok_or_else(|| bad(field, "missing the 0x prefix"))?;
    if digits.len() > 2 * max {
        return Err(bad(field, format!("longer than {max} bytes")));
    }
    let bytes = hex::decode(digits).map_err(|e| bad(field, e.to_string()))?;
    if bytes.is_empty() || (exact && bytes.len() != max) {
        return Err(bad(field, format!("{} bytes, expected {max}", bytes.len())));
    }
    Ok(bytes)
}

fn root(field: &'static str, text: &str) -> Result<[u8; 32], InterchangeError> {
    let bytes = prefixed_hex(field, text, 32, true)?;
    Ok(core::array::from_fn(|i| bytes[i]))
}

impl Interchange {
    /// Parses and checks an interchange file.
    pub fn from_json(bytes: &[u8]) -> Result<Self, InterchangeError> {
        if bytes.len() as u64 > MAX_INTERCHANGE_BYTES {
            return Err(InterchangeError::TooLarge { limit: MAX_INTERCHANGE_BYTES });
        }
        let file: FileJson =
            serde_json::from_slice(bytes).map_err(|e| InterchangeError::Json(e.to_string()))?;
        if file.metadata.interchange_format_version != INTERCHANGE_FORMAT_VERSION {
            return Err(InterchangeError::UnknownVersion(file.metadata.interchange_format_version));
        }
        let genesis_validators_root =
            root("metadata.genesis_validators_root", &file.metadata.genesis_validators_root)?;
        let mut data = Vec::with_capacity(file.data.len());
        for e in file.data {
            let pubkey = prefixed_hex("data[].pubkey", &e.pubkey, MAX_PUBKEY_BYTES, false)?;
            let optional_root = |r: Option<String>, field| r.map(|r| root(field, &r)).transpose();
            let mut signed_blocks = Vec::with_capacity(e.signed_blocks.len());
            for b in e.signed_blocks {
                signed_blocks.push(SignedBlock {
                    slot: number("signed_blocks[].slot", &b.slot)?,
                    signing_root: optional_root(b.signing_root, "signed_blocks[].signing_root")?,
                });
            }
            let mut signed_attestations = Vec::with_capacity(e.signed_attestations.len());
            for a in e.signed_attestations {
                let source_epoch = number("signed_attestations[].source_epoch", &a.source_epoch)?;
                let target_epoch = number("signed_attestations[].target_epoch", &a.target_epoch)?;
                if source_epoch > target_epoch {
                    return Err(bad(
                        "signed_attestations[]",
                        format!("source {source_epoch} after target {target_epoch}"),
                    ));
                }
                signed_attestations.push(SignedAttestation {
                    source_epoch,
                    target_epoch,
                    signing_root: optional_root(a.signing_root, "signed_attestations[].signing_root")?,
                });
            }
            data.push(Entry { pubkey, signed_blocks, signed_attestations });
        }
        Ok(Interchange { genesis_validators_root, data })
    }

    /// The file as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        let hex0x = |b: &[u8]| format!("0x{}", hex::encode(b));
        let file = FileJson {
            metadata: MetadataJson {
                interchange_format_version: INTERCHANGE_FORMAT_VERSION.into(),
                genesis_validators_root: hex0x(&self.genesis_validators_root),
            },
            data: self
                .data
                .iter()
                .map(|e| EntryJson {
                    pubkey: hex0x(&e.pubkey),
                    signed_blocks: e
                        .signed_blocks
                        .iter()
                        .map(|b| BlockJson {
                            slot: b.slot.to_string(),
                            signing_root: b.signing_root.map(|r| hex0x(&r)),
                        })
                        .collect(),
                    signed_attestations: e
                        .signed_attestations
                        .iter()
                        .map(|a| AttestationJson {
                            source_epoch: a.source_epoch.to_string(),
                            target_epoch: a.target_epoch.to_string(),
                            signing_root: a.signing_root.map(|r| hex0x(&r)),
                        })
                        .collect(),
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The minimal history of one key whose every epoch below `next_epoch` is used (and none at or above),
    /// with `activation_start` the first epoch it could ever sign.
    pub fn for_key(
        pubkey: &[u8],
        genesis_validators_root: [u8; 32],
        activation_start: u64,
        next_epoch: u64,
    ) -> Self {
        let (signed_blocks, signed_attestations) = if next_epoch > activation_start {
            let highest = next_epoch - 1;
            (
                vec![SignedBlock { slot: highest, signing_root: None }],
                vec![SignedAttestation { source_epoch: 0, target_epoch: highest, signing_root: None }],
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Interchange {
            genesis_validators_root,
            data: vec![Entry { pubkey: pubkey.to_vec(), signed_blocks, signed_attestations }],
        }
    }

    /// Refuses a file for another chain.
    pub fn check_genesis(&self, expected: &[u8; 32]) -> Result<(), InterchangeError> {
        if &self.genesis_validators_root != expected {
            return Err(InterchangeError::GenesisMismatch {
                expected: format!("0x{}", hex::encode(expected)),
                found: format!("0x{}", hex::encode(self.genesis_validators_root)),
            });
        }
        Ok(())
    }

    /// The highest epoch the file names for `pubkey` (`None` if its entries are empty); an error if the file
    /// has no entry for it at all.
    pub fn highest_epoch_for(&self, pubkey: &[u8]) -> Result<Option<u64>, InterchangeError> {
        let mut found = false;
        let mut highest: Option<u64> = None;
        for e in self.data.iter().filter(|e| e.pubkey == pubkey) {
            found = true;
            let epochs = e
                .signed_blocks
                .iter()
                .map(|b| b.slot)
                .chain(e.signed_attestations.iter().flat_map(|a| [a.source_epoch, a.target_epoch]));
            highest = highest.into_iter().chain(epochs).max();
        }
        if !found {
            return Err(InterchangeError::NoEntryForKey(format!("0x{}", hex::encode(pubkey))));
        }
        Ok(highest)
    }
}
