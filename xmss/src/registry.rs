//! Every parameter set by name, in one list: the CLI's `--instance` values, the C ABI's and Python's
//! instance strings, and the name a key directory records all come from here.
//!
//! [`InstanceId`] names a set at run time; [`with_instance!`](crate::with_instance) turns it back into the
//! set's type, so code written once over [`Instance`](crate::Instance) runs for a name chosen at run time.
//!
//! ```
//! use ndvt_xmss::registry::InstanceId;
//! use ndvt_xmss::{Instance, with_instance};
//!
//! let id = InstanceId::from_name("leanvm").expect("a known set");
//! assert_eq!(with_instance!(id, I => I::PUBLIC_KEY_BYTES), 32);
//! assert_eq!(id.name(), "leanvm");
//! ```

/// The one list of parameter sets. Calls the macro `$callback` (a hidden export of this crate) with
/// `($args)` followed by every `variant = "name" => type,` entry, doc comments included.
#[doc(hidden)]
#[macro_export]
macro_rules! __ndvt_instances {
    ($callback:ident ! ($($args:tt)*)) => {
        $crate::$callback! {
            ($($args)*)
            /// Lean consensus Devnet 4 (leanSig, Poseidon1): lifetime 2^32, 46 chains, base 8, target sum 200.
            Devnet4 = "devnet4" => $crate::Devnet4,
            /// The small Poseidon1 test instance: lifetime 2^8, 4 chains (leanSpec TEST_CONFIG).
            Test = "test" => $crate::TestInstance,
            /// leanVM's BLAKE2s XMSS, the shared lean devnet's signature (leanVM-b 5df6c37): lifetime 2^32,
            /// 42 chains, target sum 195, 32-byte public keys, 1,208-byte signatures.
            Leanvm = "leanvm" => $crate::leanvm::LeanVm,
            /// A small leanVM-style test set: the same hashing, lifetime 2^8.
            LeanvmTest = "leanvm-test" => $crate::leanvm::LeanVmTest,
            /// SHA-3, lifetime 2^18, base 4.
            Sha3L18W4 = "sha3-l18-w4" => $crate::byte_xmss::Sha3L18W4,
            /// SHA-3, lifetime 2^18, base 8.
            Sha3L18W8 = "sha3-l18-w8" => $crate::byte_xmss::Sha3L18W8,
            /// SHA-3, lifetime 2^20, base 4.
            Sha3L20W4 = "sha3-l20-w4" => $crate::byte_xmss::Sha3L20W4,
            /// SHA-3, lifetime 2^20, base 8.
            Sha3L20W8 = "sha3-l20-w8" => $crate::byte_xmss::Sha3L20W8,
            /// SHA-3, lifetime 2^32, base 4.
            Sha3L32W4 = "sha3-l32-w4" => $crate::byte_xmss::Sha3L32W4,
            /// SHA-3, lifetime 2^32, base 8.
            Sha3L32W8 = "sha3-l32-w8" => $crate::byte_xmss::Sha3L32W8,
            /// BLAKE3, lifetime 2^18, base 4.
            Blake3L18W4 = "blake3-l18-w4" => $crate::byte_xmss::Blake3L18W4,
            /// BLAKE3, lifetime 2^18, base 8.
            Blake3L18W8 = "blake3-l18-w8" => $crate::byte_xmss::Blake3L18W8,
            /// BLAKE3, lifetime 2^20, base 4.
            Blake3L20W4 = "blake3-l20-w4" => $crate::byte_xmss::Blake3L20W4,
            /// BLAKE3, lifetime 2^20, base 8.
            Blake3L20W8 = "blake3-l20-w8" => $crate::byte_xmss::Blake3L20W8,
            /// BLAKE3, lifetime 2^32, base 4.
            Blake3L32W4 = "blake3-l32-w4" => $crate::byte_xmss::Blake3L32W4,
            /// BLAKE3, lifetime 2^32, base 8.
            Blake3L32W8 = "blake3-l32-w8" => $crate::byte_xmss::Blake3L32W8,
            /// A small SHA-3 set for tests: lifetime 2^8, base 8.
            Sha3Test = "sha3-test" => $crate::byte_xmss::Sha3Test,
            /// A small BLAKE3 set for tests: lifetime 2^8, base 8.
            Blake3Test = "blake3-test" => $crate::byte_xmss::Blake3Test,
        }
    };
}

/// Declares [`InstanceId`] from the list.
#[doc(hidden)]
#[macro_export]
macro_rules! __ndvt_define_registry {
    (() $($(#[$doc:meta])* $variant:ident = $name:literal => $ty:ty,)*) => {
        /// A parameter set named at run time. [`with_instance!`](crate::with_instance) dispatches to its type.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum InstanceId {
            $($(#[$doc])* $variant,)*
        }

        impl InstanceId {
            /// Every set, in table order.
            pub const ALL: &'static [InstanceId] = &[$(InstanceId::$variant,)*];

            /// The set's name, as `--instance`, the bindings and key directories spell it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(InstanceId::$variant => $name,)*
                }
            }
        }
    };
}

/// Runs `$body` with the type alias `$I` bound to the parameter set named by `$inst` (an [`InstanceId`]).
///
/// [`InstanceId`]: crate::registry::InstanceId
#[macro_export]
macro_rules! with_instance {
    ($inst:expr, $I:ident => $body:expr) => {
        $crate::__ndvt_instances!(__ndvt_dispatch!($inst, $I, $body))
    };
}

/// The `match` behind [`with_instance!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __ndvt_dispatch {
    (($inst:expr, $I:ident, $body:expr) $($(#[$doc:meta])* $variant:ident = $name:literal => $ty:ty,)*) => {
        match $inst {
            $($crate::registry::InstanceId::$variant => {
                type $I = $ty;
                $body
            })*
        }
    };
}

crate::__ndvt_instances!(__ndvt_define_registry!());

impl InstanceId {
    /// The set called `name` (its `--instance` spelling), if there is one.
    pub fn from_name(name: &str) -> Option<InstanceId> {
        InstanceId::ALL.iter().copied().find(|i| i.name() == name)
    }

    /// The set whose one-byte identifier ([`Instance::ID`](crate::Instance::ID)) is `id`.
    pub fn from_id(id: u8) -> Option<InstanceId> {
        InstanceId::ALL.iter().copied().find(|&i| i.id() == id)
    }

    /// The set's one-byte identifier in ndvt's group and aggregate encodings.
    pub fn id(self) -> u8 {
        crate::with_instance!(self, I => <I as crate::Instance>::ID)
    }

    /// Encoded public key size.
    pub fn public_key_len(self) -> usize {
        crate::with_instance!(self, I => <I as crate::Instance>::PUBLIC_KEY_BYTES)
    }

    /// Encoded signature size.
    pub fn signature_len(self) -> usize {
        crate::with_instance!(self, I => <I as crate::Instance>::SIGNATURE_BYTES)
    }

    /// log2 of the number of epochs.
    pub fn log_lifetime(self) -> u32 {
        crate::with_instance!(self, I => <I as crate::Instance>::LOG_LIFETIME)
    }
}

impl core::fmt::Display for InstanceId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instance;

    /// The registry's names are the sets' own, and the one-byte ids of group encodings never repeat.
    #[test]
    fn names_match_the_sets_and_ids_are_unique() {
        let mut ids = std::collections::BTreeSet::new();
        for &i in InstanceId::ALL {
            let (name, id) = crate::with_instance!(i, I => (I::NAME, I::ID));
            assert_eq!(name, i.name());
            assert!(ids.insert(id), "{name}: id {id} repeats");
            assert_eq!(InstanceId::from_name(name), Some(i));
            assert_eq!(InstanceId::from_id(id), Some(i));
        }
        assert_eq!(InstanceId::from_name("devnet5"), None);
        assert_eq!(InstanceId::from_name(""), None);
    }
}
