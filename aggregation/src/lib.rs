//! m-of-n group signatures and aggregates for native DVT.
//!
//! A group is n ≤ 16 independent keys and a threshold m, identified by a hash that binds m, n and the
//! member keys in order. Each member signs on its own ([`GroupSigner`]); the group has signed iff at least
//! m distinct members signed the same (epoch, message). Nothing here depends on the signature scheme
//! ([`Scheme`]): XMSS members sign through their durable signers, and Ed25519 keeps the layer honest.
//!
//! ```
//! use ndvt_aggregation::{Collector, Ed25519, Ed25519Member, GroupKey, GroupSigner, Offer, ThresholdPolicy};
//!
//! let mut members: Vec<Ed25519Member> = (0..7u8).map(|i| Ed25519Member::from_seed(i, &[i + 1; 32])).collect();
//! let keys = members.iter().map(|m| m.public_key()).collect();
//! let (group, report) = GroupKey::<Ed25519>::new(5, keys, ThresholdPolicy::Strict)?;
//! assert_eq!((report.liveness_margin, report.safety_margin), (2, 2));
//!
//! let mut collector = Collector::new(&group, 42, [7; 32]);
//! let mut signature = None;
//! for member in members.iter_mut().rev() {
//!     if let Offer::Complete(s) = collector.offer(&member.sign(42, &[7; 32])?)? {
//!         signature = Some(s);
//!         break;
//!     }
//! }
//! let signature = signature.expect("5 of 7 signed");
//! signature.verify(&group, 42, &[7; 32])?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod aggregate;
mod bitlist;
pub mod by_name;
mod collector;
mod ed25519_scheme;
mod error;
mod group_key;
mod group_signature;
mod keyed_share;
mod scheme;
#[cfg(feature = "succinct")]
pub mod succinct;
mod xmss_scheme;

pub use aggregate::{AggregateError, ConcatAggregate, MAX_PARTICIPANTS, Participant};
pub use bitlist::{BitList, BitListError};
pub use collector::{Collector, Offer};
pub use ed25519_scheme::{Ed25519, Ed25519Member};
pub use error::{GroupKeyError, GroupSignatureError, SchemeError, ShareDecodeError};
pub use group_key::{GroupKey, MAX_MEMBERS, ThresholdPolicy, ThresholdReport};
pub use group_signature::GroupSignature;
pub use keyed_share::KeyedShare;
pub use scheme::{GroupSigner, Scheme, Share, VerifyItem};
pub use xmss_scheme::{Xmss, XmssMember};
