//! Which packed KoalaBear arithmetic this build runs on, and what the running CPU could run.
//!
//! Plonky3 picks the packed field ([`PackedF`]) at compile time from the target features, so a binary built
//! for the default `x86-64` target gets scalar Poseidon1 even on a CPU with AVX-512, several times slower.
//! Figures are only comparable when they say which back-end produced them, and a dependent that forgot
//! `-C target-cpu` should be able to notice: [`compiled`] answers the first, [`best_for_this_cpu`] the second.
//!
//! ```
//! let build = ndvt_xmss::simd::compiled();
//! assert_eq!(build.lanes(), <ndvt_xmss::PackedF as p3_field::PackedValue>::WIDTH);
//! if let Some(better) = ndvt_xmss::simd::faster_on_this_cpu() {
//!     eprintln!("built for {build}, but this CPU has {better}: rebuild with -C target-cpu=native");
//! }
//! ```

use core::fmt;

use p3_field::PackedValue;

use crate::field::PackedF;

/// A packed KoalaBear back-end of Plonky3 (`p3-monty-31`), named after the instruction set it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// No packing: one field element at a time.
    Scalar,
    /// aarch64 NEON, 4 lanes.
    Neon,
    /// x86-64 AVX2, 8 lanes.
    Avx2,
    /// x86-64 AVX-512 (AVX512F), 16 lanes.
    Avx512,
}

impl Backend {
    /// Field elements one packed operation works on.
    pub const fn lanes(self) -> usize {
        match self {
            Backend::Scalar => 1,
            Backend::Neon => 4,
            Backend::Avx2 => 8,
            Backend::Avx512 => 16,
        }
    }

    /// A short lowercase name for machine-readable output: `scalar`, `neon`, `avx2` or `avx512`.
    pub const fn name(self) -> &'static str {
        match self {
            Backend::Scalar => "scalar",
            Backend::Neon => "neon",
            Backend::Avx2 => "avx2",
            Backend::Avx512 => "avx512",
        }
    }
}

/// Human-readable, with the lane count: `AVX-512 × 16`, `AVX2 × 8`, `NEON × 4`, `scalar × 1`.
impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self {
            Backend::Scalar => "scalar",
            Backend::Neon => "NEON",
            Backend::Avx2 => "AVX2",
            Backend::Avx512 => "AVX-512",
        };
        write!(f, "{label} × {}", self.lanes())
    }
}

// The same conditions under which p3-monty-31 0.8 compiles each packed module in.
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
const COMPILED: Backend = Backend::Avx512;
#[cfg(all(target_arch = "x86_64", target_feature = "avx2", not(target_feature = "avx512f")))]
const COMPILED: Backend = Backend::Avx2;
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
const COMPILED: Backend = Backend::Neon;
#[cfg(not(any(
    all(target_arch = "x86_64", target_feature = "avx2"),
    all(target_arch = "aarch64", target_feature = "neon")
)))]
const COMPILED: Backend = Backend::Scalar;

// If a Plonky3 upgrade changes its selection rules, this stops the build instead of mislabelling figures.
const _: () = assert!(COMPILED.lanes() == <PackedF as PackedValue>::WIDTH);

/// The back-end compiled into this build (fixed by the target features at compile time).
pub const fn compiled() -> Backend {
    COMPILED
}

/// The widest back-end the running CPU supports, detected at run time; on architectures without run-time
/// detection here, the compiled one.
pub fn best_for_this_cpu() -> Backend {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            return Backend::Avx512;
        }
        if std::is_x86_feature_detected!("avx2") {
            return Backend::Avx2;
        }
        Backend::Scalar
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") { Backend::Neon } else { Backend::Scalar }
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        COMPILED
    }
}

/// The CPU's back-end when it is wider than the compiled one: this build leaves speed on the table.
pub fn faster_on_this_cpu() -> Option<Backend> {
    let best = best_for_this_cpu();
    (best.lanes() > COMPILED.lanes()).then_some(best)
}

/// The CPU model (`model name` of `/proc/cpuinfo`), for labelling figures; `None` where it is not reported.
/// This is the crate's only file access outside the durable signer, and nothing in the crate calls it.
pub fn cpu_model() -> Option<String> {
    cpu_model_from(&std::fs::read_to_string("/proc/cpuinfo").ok()?)
}

/// The first `model name` (x86) or `Model` (some aarch64 kernels) line of a `/proc/cpuinfo` text.
fn cpu_model_from(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        let key = key.trim();
        let value = value.trim();
        ((key == "model name" || key == "Model") && !value.is_empty()).then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_backend_matches_the_target_features() {
        let expected = if cfg!(all(target_arch = "x86_64", target_feature = "avx512f")) {
            (Backend::Avx512, 16)
        } else if cfg!(all(target_arch = "x86_64", target_feature = "avx2")) {
            (Backend::Avx2, 8)
        } else if cfg!(all(target_arch = "aarch64", target_feature = "neon")) {
            (Backend::Neon, 4)
        } else {
            (Backend::Scalar, 1)
        };
        assert_eq!((compiled(), compiled().lanes()), expected);
        assert_eq!(compiled().lanes(), PackedF::WIDTH);
    }

    #[test]
    fn a_build_never_outruns_its_cpu() {
        // A binary with AVX-512 instructions could not have started on a CPU without them.
        assert!(best_for_this_cpu() >= compiled());
        assert_eq!(faster_on_this_cpu().is_some(), best_for_this_cpu() > compiled());
    }

    #[test]
    fn names_and_labels() {
        let all = [Backend::Scalar, Backend::Neon, Backend::Avx2, Backend::Avx512];
        let names: Vec<&str> = all.iter().map(|b| b.name()).collect();
        assert_eq!(names, ["scalar", "neon", "avx2", "avx512"]);
        let labels: Vec<String> = all.iter().map(|b| b.to_string()).collect();
        assert_eq!(labels, ["scalar × 1", "NEON × 4", "AVX2 × 8", "AVX-512 × 16"]);
    }

    #[test]
    fn cpu_model_is_the_first_model_name_line() {
        let x86 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 17\n\
                   model name\t: AMD EPYC 9R14 96-Core Processor\nprocessor\t: 1\nmodel name\t: other\n";
        assert_eq!(cpu_model_from(x86).as_deref(), Some("AMD EPYC 9R14 96-Core Processor"));
        assert_eq!(
            cpu_model_from("processor : 0\nModel : Raspberry Pi 4\n").as_deref(),
            Some("Raspberry Pi 4")
        );
        // `model` alone is a number, not a name; an empty value is no answer.
        assert_eq!(cpu_model_from("model\t\t: 17\nmodel name\t:\n"), None);
    }
}
