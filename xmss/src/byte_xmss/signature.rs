//! Public keys, signatures, their fixed-size encodings and verification.
//!
//! Public key: `root (32) ‖ parameter (18)`. Signature: `rho (24) ‖ co-path (32 · h) ‖ chain values (32 · v)`.
//! Every size is fixed by the parameter set, so decoding checks one length and nothing else can be
//! malformed: every byte string of the right length is a canonical encoding of exactly one value.

use core::marker::PhantomData;

use crate::byte_xmss::chain::{leaf, walk_all};
use crate::byte_xmss::encoding::codeword;
use crate::byte_xmss::hash::{DIGEST_LEN, Digest, PARAMETER_LEN, Parameter, RHO_LEN, Rho};
use crate::byte_xmss::params::{ByteInstance, check};
use crate::byte_xmss::tree::root_from_path;
use crate::error::{DecodeError, VerifyError};

/// A public key of parameter set `I`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BytePublicKey<I: ByteInstance> {
    pub(crate) root: Digest,
    pub(crate) parameter: Parameter,
    pub(crate) _instance: PhantomData<I>,
}

impl<I: ByteInstance> core::fmt::Debug for BytePublicKey<I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let hex: String = self.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        write!(f, "BytePublicKey<{}>({hex})", I::NAME)
    }
}

/// A signature of parameter set `I`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ByteSignature<I: ByteInstance> {
    pub(crate) rho: Rho,
    pub(crate) path: Vec<Digest>,
    pub(crate) hashes: Vec<Digest>,
    pub(crate) _instance: PhantomData<I>,
}

fn take<const N: usize>(bytes: &[u8], at: &mut usize) -> [u8; N] {
    let out = core::array::from_fn(|i| bytes[*at + i]);
    *at += N;
    out
}

impl<I: ByteInstance> BytePublicKey<I> {
    /// Encoded size.
    pub const BYTES: usize = I::PUBLIC_KEY_BYTES;

    /// `root ‖ parameter`.
    pub fn to_bytes(&self) -> Vec<u8> {
        [&self.root[..], &self.parameter[..]].concat()
    }

    /// Strict decoding: exactly [`Self::BYTES`] bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() != Self::BYTES {
            return Err(DecodeError::Length { what: "public key", expected: Self::BYTES, got: bytes.len() });
        }
        let mut at = 0;
        let root = take::<DIGEST_LEN>(bytes, &mut at);
        let parameter = take::<PARAMETER_LEN>(bytes, &mut at);
        Ok(Self { root, parameter, _instance: PhantomData })
    }

    /// Verifies `signature` on `message` at `epoch`.
    pub fn verify(
        &self,
        epoch: u64,
        message: &[u8; 32],
        signature: &ByteSignature<I>,
    ) -> Result<(), VerifyError> {
        const { check::<I>() };
        if epoch >= I::LIFETIME {
            return Err(VerifyError::EpochOutOfRange { epoch, log_lifetime: I::LOG_LIFETIME });
        }
        let epoch = epoch as u32; // below the lifetime, at most 2^32
        if signature.path.len() != I::LOG_LIFETIME as usize {
            let (expected, got) = (I::LOG_LIFETIME as usize, signature.path.len());
            return Err(DecodeError::PathLength { expected, got }.into());
        }
        if signature.hashes.len() != I::DIMENSION {
            return Err(DecodeError::HashCount { expected: I::DIMENSION, got: signature.hashes.len() }.into());
        }
        let mut x = [0u8; 256];
        codeword::<I>(&self.parameter, epoch, &signature.rho, message, &mut x)?;
        let mut ends = signature.hashes.clone();
        let top = [(I::BASE - 1) as u8; 256];
        walk_all::<I::Hash>(&self.parameter, epoch, &mut ends, &x[..I::DIMENSION], &top[..I::DIMENSION]);
        let leaf = leaf::<I::Hash>(&self.parameter, epoch, &ends);
        if root_from_path::<I::Hash>(&self.parameter, epoch, leaf, &signature.path) == self.root {
            Ok(())
        } else {
            Err(VerifyError::RootMismatch)
        }
    }

    /// Decodes `signature` strictly and verifies it: the one call for bytes from the network.
    pub fn verify_bytes(&self, epoch: u64, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        let message: &[u8; 32] = message.try_into().map_err(|_| VerifyError::MessageLength(message.len()))?;
        self.verify(epoch, message, &ByteSignature::from_bytes(signature)?)
    }
}

impl<I: ByteInstance> ByteSignature<I> {
    /// Encoded size.
    pub const BYTES: usize = I::SIGNATURE_BYTES;

    /// `rho ‖ co-path ‖ chain values`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        out.extend_from_slice(&self.rho);
        out.extend_from_slice(self.path.as_flattened());
        out.extend_from_slice(self.hashes.as_flattened());
        out
    }

    /// Strict decoding: exactly [`Self::BYTES`] bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() != Self::BYTES {
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        let mut at = 0;
        let rho = take::<RHO_LEN>(bytes, &mut at);
        let path = (0..I::LOG_LIFETIME).map(|_| take::<DIGEST_LEN>(bytes, &mut at)).collect();
        let hashes = (0..I::DIMENSION).map(|_| take::<DIGEST_LEN>(bytes, &mut at)).collect();
        Ok(Self { rho, path, hashes, _instance: PhantomData })
    }

    /// The signing randomness.
    pub fn rho(&self) -> &Rho {
        &self.rho
    }
}

impl<I: ByteInstance> TryFrom<&[u8]> for ByteSignature<I> {
    type Error = DecodeError;
    fn try_from(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::from_bytes(bytes)
    }
}
