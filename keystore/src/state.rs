//! The state snapshot (EIP-8310, "New `state` snapshot object") and reserved leaf ranges ("Reserved leaf
//! ranges").
//!
//! The snapshot is for the operator's eyes and for one purpose at import: a floor. ndvt never signs from it
//! (it is `authoritative: false` by rule); an import starts at or above the position it reports, because a
//! key cannot have signed less than what its own snapshot says. Reserved ranges belong to other signers of
//! the key: an import treats every reserved range as used up to its end, since the signer holding it may
//! still be live, so ndvt's one signer never enters a range another signer owns.

use serde::{Deserialize, Serialize};

use crate::error::KeystoreError;
use crate::scheme::SchemeEntry;

/// Reserved ranges a keystore may list (a bound, so a hostile file cannot make the check quadratic).
const MAX_RANGES: usize = 1024;
/// Longest range id accepted.
const MAX_RANGE_ID: usize = 128;

/// A range of leaves reserved for one signer: `[start, end]`, inclusive as EIP-8310 writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservedRange {
    /// The signer the range is assigned to.
    pub id: String,
    /// First leaf of the range.
    pub start: u64,
    /// Last leaf of the range (inclusive).
    pub end: u64,
    /// The highest leaf that signer consumed, if any.
    pub high_water: Option<u64>,
}

/// The non-authoritative snapshot a keystore carries, as ndvt reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The highest leaf consumed, if any.
    pub high_water: Option<u64>,
    /// Leaves of the activation range: `(total, consumed, remaining)`.
    pub capacity: (u64, u64, u64),
    /// Ranges reserved for other signers.
    pub reserved_ranges: Vec<ReservedRange>,
    /// `state.reference`, an opaque locator of the authoritative state.
    pub reference: Option<String>,
}

impl Snapshot {
    /// The snapshot of a key active over `activation` whose lowest signable epoch is `next_epoch`.
    pub fn of_record(activation: core::ops::Range<u64>, next_epoch: u64, reference: Option<String>) -> Self {
        let total = activation.end - activation.start;
        let consumed = next_epoch.saturating_sub(activation.start).min(total);
        let high_water = (next_epoch > activation.start).then(|| next_epoch - 1);
        Snapshot {
            high_water,
            capacity: (total, consumed, total - consumed),
            reserved_ranges: Vec::new(),
            reference,
        }
    }

    /// The lowest epoch this snapshot leaves signable: above its high water and above every reserved range.
    pub fn floor(&self) -> u64 {
        let mut floor = self.high_water.map_or(0, |h| h.saturating_add(1));
        for r in &self.reserved_ranges {
            floor = floor.max(r.end.saturating_add(1));
        }
        floor
    }
}

#[derive(Serialize, Deserialize)]
struct CapacityJson {
    total: u64,
    consumed: u64,
    remaining: u64,
}

/// `state` as written. Unknown fields are tolerated: the object is informational by rule.
#[derive(Serialize, Deserialize)]
pub(crate) struct StateJson {
    authoritative: bool,
    authority: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    capacity: CapacityJson,
    high_water: Option<u64>,
    #[serde(default)]
    reserved_ranges: Vec<ReservedRange>,
}

/// The authority EIP-8310 ties to synchronized mode: the slashing-protection history.
const AUTHORITY: &str = "slashing-protection";

impl StateJson {
    pub(crate) fn new(s: &Snapshot) -> Self {
        let (total, consumed, remaining) = s.capacity;
        StateJson {
            authoritative: false,
            authority: AUTHORITY.into(),
            reference: s.reference.clone(),
            capacity: CapacityJson { total, consumed, remaining },
            high_water: s.high_water,
            reserved_ranges: s.reserved_ranges.clone(),
        }
    }

    /// Checks the snapshot against the rules and the scheme, and returns it.
    pub(crate) fn check(self, entry: &SchemeEntry) -> Result<Snapshot, KeystoreError> {
        let refused = |why: String| Err(KeystoreError::State(why));
        if self.authoritative {
            return refused("state.authoritative must be false in a keystore file".into());
        }
        if self.authority != AUTHORITY {
            return refused(format!(
                "state.authority {:?} does not match index_mode \"synchronized\" (expected {AUTHORITY:?})",
                self.authority
            ));
        }
        let c = &self.capacity;
        if c.consumed.checked_add(c.remaining) != Some(c.total) || c.total > entry.lifetime_leaves() {
            return refused(format!(
                "capacity total {} is not consumed {} + remaining {} within the lifetime",
                c.total, c.consumed, c.remaining
            ));
        }
        if self.high_water.is_some_and(|h| h >= entry.lifetime_leaves()) {
            return refused("state.high_water is beyond the lifetime".into());
        }
        check_ranges(&self.reserved_ranges, entry.lifetime_leaves())?;
        Ok(Snapshot {
            high_water: self.high_water,
            capacity: (c.total, c.consumed, c.remaining),
            reserved_ranges: self.reserved_ranges,
            reference: self.reference,
        })
    }
}

/// Ranges must be well formed, inside the lifetime, uniquely named and pairwise disjoint.
fn check_ranges(ranges: &[ReservedRange], lifetime: u64) -> Result<(), KeystoreError> {
    let refused = |why: String| Err(KeystoreError::ReservedRanges(why));
    if ranges.len() > MAX_RANGES {
        return refused(format!("{} ranges, at most {MAX_RANGES}", ranges.len()));
    }
    for r in ranges {
        if r.id.is_empty() || r.id.len() > MAX_RANGE_ID {
            return refused(format!("range id must be 1 to {MAX_RANGE_ID} bytes"));
        }
        if r.start > r.end || r.end >= lifetime {
            return refused(format!(
                "range {:?} [{}, {}] is empty or leaves the lifetime",
                r.id, r.start, r.end
            ));
        }
        if r.high_water.is_some_and(|h| h < r.start || h > r.end) {
            return refused(format!("range {:?}'s high_water is outside [{}, {}]", r.id, r.start, r.end));
        }
    }
    let mut sorted: Vec<&ReservedRange> = ranges.iter().collect();
    sorted.sort_by_key(|r| r.start);
    for pair in sorted.windows(2) {
        if pair[1].start <= pair[0].end {
            return refused(format!("ranges {:?} and {:?} overlap", pair[0].id, pair[1].id));
        }
    }
    let mut ids: Vec<&str> = ranges.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return refused("two ranges share an id (a range must have exactly one signer)".into());
    }
    Ok(())
}
