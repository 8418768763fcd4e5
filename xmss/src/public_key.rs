//! The public key (Merkle root ‖ hash parameter: 52 bytes for Devnet 4, 32 for leanVM) and verification.

use core::marker::PhantomData;

use crate::backend::{Element, TweakableHash};
use crate::error::{DecodeError, VerifyError};
use crate::instance::{Digest, Instance, Parameter, check};
use crate::signature::Signature;
use crate::tree::root_from_path;

/// A public key: the root of the key's Merkle tree and the public hash parameter.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey<I: Instance> {
    pub(crate) root: Digest<I>,
    pub(crate) parameter: Parameter<I>,
    pub(crate) _instance: PhantomData<I>,
}

impl<I: Instance> core::fmt::Debug for PublicKey<I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let hex: String = self.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        write!(f, "PublicKey<{}>({hex})", I::NAME)
    }
}

impl<I: Instance> PublicKey<I> {
    /// Encoded size: 52 bytes for Devnet 4, 32 for leanVM.
    pub const BYTES: usize = I::PUBLIC_KEY_BYTES;

    /// The Merkle root.
    pub fn root(&self) -> &Digest<I> {
        &self.root
    }

    /// The public hash parameter.
    pub fn parameter(&self) -> &Parameter<I> {
        &self.parameter
    }

    /// SSZ encoding: `root (8 FE) ‖ parameter (5 FE)`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        self.root.write(&mut out);
        self.parameter.write(&mut out);
        out
    }

    /// Strict decoding: exactly 52 bytes, every word below p.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() != Self::BYTES {
            return Err(DecodeError::Length { what: "public key", expected: Self::BYTES, got: bytes.len() });
        }
        let at = Digest::<I>::BYTES;
        let root = Element::read(&bytes[..at], "public_key.root")?;
        let parameter = Element::read(&bytes[at..], "public_key.parameter")?;
        Ok(Self { root, parameter, _instance: PhantomData })
    }

    /// Verifies `signature` on `message` at `epoch`.
    pub fn verify(
        &self,
        epoch: u64,
        message: &[u8; 32],
        signature: &Signature<I>,
    ) -> Result<(), VerifyError> {
        const { check::<I>() };
        let item = crate::batch_verify::BatchItem { public_key: self, epoch, message, signature };
        let crate::batch_verify::Pending { epoch, codeword: x, .. } = crate::batch_verify::precheck(&item)?;
        let mut ends = signature.hashes.clone();
        let top = [(I::BASE - 1) as u8; 256];
        I::Hash::walk_all(&self.parameter, epoch, &mut ends, &x[..I::DIMENSION], &top[..I::DIMENSION]);
        let leaf = I::Hash::leaf(&self.parameter, epoch, &ends);
        if root_from_path::<I::Hash>(&self.parameter, epoch, leaf, &signature.path) == self.root {
            Ok(())
        } else {
            Err(VerifyError::RootMismatch)
        }
    }

    /// Decodes `signature` strictly and verifies it; the one call for bytes from the network.
    pub fn verify_bytes(&self, epoch: u64, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        let message: &[u8; 32] = message.try_into().map_err(|_| VerifyError::MessageLength(message.len()))?;
        self.verify(epoch, message, &Signature::from_bytes(signature)?)
    }
}
