//! The fuzz checks, one `fn(&[u8])` per target. They depend only on ndvt-xmss and ndvt-aggregation (and
//! std), so the main workspace's stable tests include this directory by path and replay the corpora.
//!
//! A check panics only when one of our invariants breaks: a decoder or verifier panicking, an accepted
//! encoding that does not re-encode to its input, two of our own paths disagreeing, or an acceptance that
//! no valid signature explains. Rejections with a typed error are the expected answer to junk.

mod batch;
mod decode;
mod differential;
mod fixtures;
mod group;
mod input;
mod roundtrip;
pub mod seeds;
mod structured;
#[cfg(feature = "succinct")]
mod succinct;
mod verify;

pub use batch::batch_verify;
pub use decode::{
    decode_aggregate, decode_group_key, decode_group_signature, decode_leanvm, decode_public_key,
    decode_secret_key, decode_signature,
};
pub use differential::differential;
pub use group::group_verify;
pub use roundtrip::roundtrip;
pub use structured::structured;
#[cfg(feature = "succinct")]
pub use succinct::decode_succinct;
pub use verify::verify;

/// A fuzz check: panics iff an invariant is broken.
pub type Check = fn(&[u8]);

/// Every target, by the name of its binary in `fuzz_targets/` and its corpus folder in `corpus/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("decode_public_key", decode_public_key),
    ("decode_signature", decode_signature),
    ("decode_secret_key", decode_secret_key),
    ("decode_leanvm", decode_leanvm),
    ("decode_group_key", decode_group_key),
    ("decode_group_signature", decode_group_signature),
    ("decode_aggregate", decode_aggregate),
    ("verify", verify),
    ("group_verify", group_verify),
    ("roundtrip", roundtrip),
    ("structured", structured),
    ("differential", differential),
    ("batch_verify", batch_verify),
    #[cfg(feature = "succinct")]
    ("decode_succinct", decode_succinct),
];
