//! Every parameter set the CLI knows, in one list: the `--instance` values, dispatch to the set's type,
//! and lookup by the name a key directory records.

/// Declares [`InstanceArg`], [`with_instance!`] and [`InstanceArg::ALL`] from one list.
macro_rules! instances {
    ($d:tt $($(#[$doc:meta])* $variant:ident = $name:literal => $ty:ty,)*) => {
        /// Parameter sets the CLI knows (`--instance`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
        pub enum InstanceArg {
            $($(#[$doc])* #[value(name = $name)] $variant,)*
        }

        impl InstanceArg {
            /// Every set, in table order.
            pub const ALL: &'static [InstanceArg] = &[$(InstanceArg::$variant,)*];

            /// The set's name, as `--instance` and key directories spell it.
            pub fn name(self) -> &'static str {
                match self {
                    $(InstanceArg::$variant => $name,)*
                }
            }
        }

        /// Runs `$body` with the type alias `$I` bound to the instance named by `$inst`.
        macro_rules! with_instance {
            ($d inst:expr, $d I:ident => $d body:expr) => {
                match $d inst {
                    $($crate::InstanceArg::$variant => {
                        type $d I = $ty;
                        $d body
                    })*
                }
            };
        }
    };
}

instances! {
    $
    /// Lean consensus Devnet 4 (leanSig, Poseidon1): lifetime 2^32, 46 chains, base 8, target sum 200.
    Devnet4 = "devnet4" => ndvt_xmss::Devnet4,
    /// The small Poseidon1 test instance: lifetime 2^8, 4 chains (leanSpec TEST_CONFIG).
    Test = "test" => ndvt_xmss::TestInstance,
    /// leanVM's BLAKE2s XMSS, the shared lean devnet's signature (leanVM-b 5df6c37): lifetime 2^32,
    /// 42 chains, target sum 195, 32-byte public keys, 1,208-byte signatures.
    Leanvm = "leanvm" => ndvt_xmss::leanvm::LeanVm,
    /// A small leanVM-style test set: the same hashing, lifetime 2^8.
    LeanvmTest = "leanvm-test" => ndvt_xmss::leanvm::LeanVmTest,
    /// SHA-3, lifetime 2^18, base 4.
    Sha3L18W4 = "sha3-l18-w4" => ndvt_xmss::byte_xmss::Sha3L18W4,
    /// SHA-3, lifetime 2^18, base 8.
    Sha3L18W8 = "sha3-l18-w8" => ndvt_xmss::byte_xmss::Sha3L18W8,
    /// SHA-3, lifetime 2^20, base 4.
    Sha3L20W4 = "sha3-l20-w4" => ndvt_xmss::byte_xmss::Sha3L20W4,
    /// SHA-3, lifetime 2^20, base 8.
    Sha3L20W8 = "sha3-l20-w8" => ndvt_xmss::byte_xmss::Sha3L20W8,
    /// SHA-3, lifetime 2^32, base 4.
    Sha3L32W4 = "sha3-l32-w4" => ndvt_xmss::byte_xmss::Sha3L32W4,
    /// SHA-3, lifetime 2^32, base 8.
    Sha3L32W8 = "sha3-l32-w8" => ndvt_xmss::byte_xmss::Sha3L32W8,
    /// BLAKE3, lifetime 2^18, base 4.
    Blake3L18W4 = "blake3-l18-w4" => ndvt_xmss::byte_xmss::Blake3L18W4,
    /// BLAKE3, lifetime 2^18, base 8.
    Blake3L18W8 = "blake3-l18-w8" => ndvt_xmss::byte_xmss::Blake3L18W8,
    /// BLAKE3, lifetime 2^20, base 4.
    Blake3L20W4 = "blake3-l20-w4" => ndvt_xmss::byte_xmss::Blake3L20W4,
    /// BLAKE3, lifetime 2^20, base 8.
    Blake3L20W8 = "blake3-l20-w8" => ndvt_xmss::byte_xmss::Blake3L20W8,
    /// BLAKE3, lifetime 2^32, base 4.
    Blake3L32W4 = "blake3-l32-w4" => ndvt_xmss::byte_xmss::Blake3L32W4,
    /// BLAKE3, lifetime 2^32, base 8.
    Blake3L32W8 = "blake3-l32-w8" => ndvt_xmss::byte_xmss::Blake3L32W8,
    /// A small SHA-3 set for tests: lifetime 2^8, base 8.
    Sha3Test = "sha3-test" => ndvt_xmss::byte_xmss::Sha3Test,
    /// A small BLAKE3 set for tests: lifetime 2^8, base 8.
    Blake3Test = "blake3-test" => ndvt_xmss::byte_xmss::Blake3Test,
}

impl InstanceArg {
    /// The set a key directory's recorded name names.
    pub fn from_name(name: &str) -> Option<InstanceArg> {
        InstanceArg::ALL.iter().copied().find(|i| i.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndvt_xmss::Instance;

    /// The CLI's names are the library's, and the one-byte ids of group encodings never repeat.
    #[test]
    fn names_match_the_library_and_ids_are_unique() {
        let mut ids = std::collections::BTreeSet::new();
        for &i in InstanceArg::ALL {
            let (name, id) = with_instance!(i, I => (I::NAME, I::ID));
            assert_eq!(name, i.name());
            assert!(ids.insert(id), "{name}: id {id} repeats");
            assert_eq!(InstanceArg::from_name(name), Some(i));
        }
    }
}
