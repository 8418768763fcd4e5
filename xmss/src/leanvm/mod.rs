//! The BLAKE2s XMSS of leanVM, the signature lean devnets moved to in September 2026, byte for byte.
//!
//! 42 chains of length 8, target sum 195, 16-byte truncated BLAKE2s digests, 32-byte public keys
//! (`root ‖ public parameter`) and 1,208-byte signatures (`42 chain tips ‖ rho (24) ‖ 32 path nodes`). The
//! whole secret is a 32-byte seed: the public parameter, the chain secrets and the filler nodes that stand
//! for tree nodes outside the activation range all come from a keyed-BLAKE2s PRF of it, so the activation
//! range is exact and the root depends on it. The byte rules of one leanVM revision are a [`LeanVmLayout`]
//! type ([`Rev5df6c37`], the revision of the repository's vectors); a later revision is a new type and a
//! new parameter set.
//!
//! ```
//! use ndvt_xmss::hazmat::RawSign;
//! use ndvt_xmss::leanvm::LeanVmTest;
//! use ndvt_xmss::{PublicKey, SecretKey, Signature};
//!
//! let (sk, pk) = SecretKey::<LeanVmTest>::from_seed(&[1; 32], 3, 10)?;
//! assert_eq!(sk.activation(), 3..13);
//! let bytes = sk.sign_raw(7, &[0x42; 32])?.to_bytes();
//! assert_eq!((pk.to_bytes().len(), bytes.len()), (32, 1208 - 24 * 16));
//! PublicKey::<LeanVmTest>::from_bytes(&pk.to_bytes())?.verify(7, &[0x42; 32], &Signature::from_bytes(&bytes)?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod backend;
mod batch;
mod calls;
mod encoding;
mod hash;
mod lanes;
#[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
mod lanes_simd;
mod layout;

pub use backend::Blake2sLeanVm;
pub use encoding::LeftoverBitDigits;
pub use hash::{Node, keyed, prf, prf_input, th};
pub use layout::{LeanVmLayout, Rev5df6c37, TweakKind};

use crate::instance::{Activation, Instance, SignatureLayout, check};

macro_rules! leanvm_instance {
    ($(#[$doc:meta])* $ty:ident, $layout:ty, $name:literal, $id:literal, $log_lifetime:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $ty;

        impl Instance for $ty {
            type Hash = Blake2sLeanVm<$layout>;
            type Encoding = LeftoverBitDigits;
            const NAME: &'static str = $name;
            const ID: u8 = $id;
            const LOG_LIFETIME: u32 = $log_lifetime;
            const DIMENSION: usize = 42;
            const BASE: usize = 8;
            const TARGET_SUM: usize = 195;
            /// About 2^15 attempts are needed on average; 2^23 leaves a margin of 2^8 (the bound leanVM's
            /// design note gives) and bounds the time a signer can spend.
            const MAX_TRIES: u64 = 1 << 23;
            const ACTIVATION: Activation = Activation::Exact;
            const SIGNATURE_LAYOUT: SignatureLayout = SignatureLayout::TipsRhoPath;
        }

        const _: () = check::<$ty>();
    };
}

leanvm_instance!(
    /// leanVM's BLAKE2s XMSS as the lean devnet runs it (leanVM-b 5df6c37): lifetime 2^32.
    LeanVm, Rev5df6c37, "leanvm", 3, 32
);
leanvm_instance!(
    /// A small leanVM-style set for tests and demonstrations only: the same hashing, 42 chains and target
    /// sum, lifetime 2^8 (8-node paths, 760-byte signatures).
    LeanVmTest, Rev5df6c37, "leanvm-test", 4, 8
);

const _: () = assert!(LeanVm::PUBLIC_KEY_BYTES == 32 && LeanVm::SIGNATURE_BYTES == 1208);
const _: () = assert!(LeanVmTest::SIGNATURE_BYTES == 1208 - 24 * 16);
