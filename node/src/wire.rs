//! Lean's gossip wire format, sans IO: topic names, the message id, raw snappy framing of SSZ payloads.
//!
//! Facts from leanSpec's networking spec and ream's and ethlambda's gossip code (see docs/DEVNET.md):
//! topics are `/leanconsensus/<fork digest>/<name>/ssz_snappy`; a payload is the raw (unframed) snappy
//! compression of the SSZ bytes; the message id is the first 20 bytes of
//! `SHA-256(domain ‖ u64_le(len(topic)) ‖ topic ‖ data)`, with domain `01000000` and `data` the decompressed
//! payload when it decompresses, else domain `00000000` and the raw payload.

use ndvt_adapter::node::wire::Kind;
use sha2::{Digest, Sha256};

/// The largest SSZ payload a node accepts after decompression (a block header, a proposal, a share or a vote
/// with an XMSS signature are all far below it): decompression of anything claiming more is refused before
/// any allocation.
pub const MAX_PAYLOAD_BYTES: usize = 1 << 20;

const DOMAIN_VALID_SNAPPY: [u8; 4] = [1, 0, 0, 0];
const DOMAIN_INVALID_SNAPPY: [u8; 4] = [0, 0, 0, 0];

/// The gossip topics of one network (one fork digest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topics {
    fork_digest: String,
}

impl Topics {
    /// The topics of the network with this fork digest (`0x` and 8 hex digits, as lean clients write it).
    pub fn new(fork_digest: [u8; 4]) -> Self {
        Topics { fork_digest: format!("0x{}", hex::encode(fork_digest)) }
    }

    fn topic(&self, name: &str) -> String {
        format!("/leanconsensus/{}/{name}/ssz_snappy", self.fork_digest)
    }

    /// The topic a message kind travels on. Votes go to attestation subnet `subnet`, aggregates to lean's
    /// `aggregation` topic; the two native-DVT kinds
    /// have topics of their own in the same scheme (`dvt_proposal`, `dvt_sign_off`).
    pub fn of(&self, kind: Kind, subnet: u64) -> String {
        match kind {
            Kind::Block => self.topic("block"),
            Kind::Vote => self.topic(&format!("attestation_{subnet}")),
            Kind::Proposal => self.topic("dvt_proposal"),
            Kind::SignOff => self.topic("dvt_sign_off"),
            Kind::Aggregate => self.topic("aggregation"),
        }
    }

    /// The kind a topic carries, for a node subscribed to attestation subnet `subnet`.
    pub fn kind_of(&self, topic: &str, subnet: u64) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| self.of(*k, subnet) == topic)
    }
}

/// The gossip message id of `data` published on `topic`.
pub fn message_id(topic: &str, data: &[u8]) -> [u8; 20] {
    let (domain, payload) = match decompress(data) {
        Ok(plain) => (DOMAIN_VALID_SNAPPY, plain),
        Err(_) => (DOMAIN_INVALID_SNAPPY, data.to_vec()),
    };
    let mut h = Sha256::new();
    h.update(domain);
    h.update((topic.len() as u64).to_le_bytes());
    h.update(topic.as_bytes());
    h.update(&payload);
    let digest: [u8; 32] = h.finalize().into();
    core::array::from_fn(|i| digest[i])
}

/// Raw snappy of the SSZ bytes.
pub fn compress(ssz: &[u8]) -> Vec<u8> {
    // Compression of a slice below snappy's 4 GiB limit cannot fail; an empty payload stands for the
    // impossible case and fails to decode at every receiver.
    snap::raw::Encoder::new().compress_vec(ssz).unwrap_or_default()
}

/// Why a payload did not decompress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SnappyError {
    /// The header claims more than [`MAX_PAYLOAD_BYTES`].
    #[error("the payload claims {0} bytes, more than the limit")]
    TooLarge(usize),
    /// The bytes are not raw snappy.
    #[error("the payload is not raw snappy")]
    Malformed,
}

/// Decompresses a raw snappy payload, refusing one that claims more than [`MAX_PAYLOAD_BYTES`].
pub fn decompress(data: &[u8]) -> Result<Vec<u8>, SnappyError> {
    let len = snap::raw::decompress_len(data).map_err(|_| SnappyError::Malformed)?;
    if len > MAX_PAYLOAD_BYTES {
        return Err(SnappyError::TooLarge(len));
    }
    snap::raw::Decoder::new().decompress_vec(data).map_err(|_| SnappyError::Malformed)
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
