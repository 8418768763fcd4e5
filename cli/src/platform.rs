//! What a run of `ndvt` executes on: the SIMD back-end compiled in and the CPU model, for labelling benchmark
//! figures, and the warning for a scalar build on a CPU that has packed arithmetic.

use std::fmt::Write as _;

use ndvt_xmss::simd::{self, Backend};

/// What a benchmark ran on: figures differ several times between SIMD back-ends, so every output names it.
pub(crate) struct Platform {
    simd: Backend,
    cpu: Option<String>,
}

impl Platform {
    /// This build's packed-field back-end and this machine's CPU model.
    pub(crate) fn this() -> Self {
        Platform { simd: simd::compiled(), cpu: simd::cpu_model() }
    }

    /// One line for the table output.
    pub(crate) fn line(&self) -> String {
        format!("SIMD back-end: {}; CPU: {}", self.simd, self.cpu.as_deref().unwrap_or("unknown"))
    }

    /// The JSON members `"simd"`, `"lanes"` and `"cpu"` (null when unknown), without braces.
    pub(crate) fn json_fields(&self) -> String {
        let cpu = self.cpu.as_deref().map_or_else(|| "null".into(), json_string);
        format!("\"simd\":\"{}\",\"lanes\":{},\"cpu\":{cpu}", self.simd.name(), self.simd.lanes())
    }
}

/// A JSON string literal: the CPU model is the one free-form text in these outputs.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The one-time warning of `ndvt` when it runs a scalar build on a CPU with packed arithmetic: Poseidon1 is
/// then several times slower than it could be, and nothing else would say so. Builds that already use packed
/// arithmetic (say an AVX2 build on an AVX-512 CPU, a common portable choice) are left alone.
pub(crate) fn scalar_build_warning(compiled: Backend, cpu_best: Backend) -> Option<String> {
    (compiled == Backend::Scalar && cpu_best.lanes() > 1).then(|| {
        format!(
            "warning: this ndvt was built without SIMD (scalar × 1) but this CPU has {cpu_best}: Poseidon1 runs \
             several times slower. Rebuild with RUSTFLAGS=\"-C target-cpu=native\" (see docs/INTEGRATION.md)."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_names_the_compiled_backend_and_escapes_the_cpu() {
        let platform = Platform { simd: Backend::Avx2, cpu: Some("Weird \"CPU\" \\ 9\t".into()) };
        assert_eq!(platform.line(), "SIMD back-end: AVX2 × 8; CPU: Weird \"CPU\" \\ 9\t");
        assert_eq!(platform.json_fields(), r#""simd":"avx2","lanes":8,"cpu":"Weird \"CPU\" \\ 9\u0009""#);
        let parsed: serde_json::Value =
            serde_json::from_str(&format!("{{{}}}", platform.json_fields())).unwrap();
        assert_eq!(parsed["cpu"], "Weird \"CPU\" \\ 9\t");
        let unknown = Platform { simd: Backend::Scalar, cpu: None };
        assert_eq!(unknown.json_fields(), r#""simd":"scalar","lanes":1,"cpu":null"#);
        let this = Platform::this().json_fields();
        let expected =
            format!("\"simd\":\"{}\",\"lanes\":{}", simd::compiled().name(), simd::compiled().lanes());
        assert!(this.starts_with(&expected), "{this}");
    }

    #[test]
    fn only_a_scalar_build_on_a_packed_cpu_is_warned_about() {
        let warning = scalar_build_warning(Backend::Scalar, Backend::Avx512).unwrap();
        assert!(warning.contains("AVX-512 × 16") && warning.contains("target-cpu=native"), "{warning}");
        assert!(scalar_build_warning(Backend::Scalar, Backend::Avx2).unwrap().contains("AVX2 × 8"));
        assert_eq!(scalar_build_warning(Backend::Scalar, Backend::Scalar), None);
        assert_eq!(scalar_build_warning(Backend::Avx2, Backend::Avx512), None);
        assert_eq!(scalar_build_warning(Backend::Avx512, Backend::Avx512), None);
    }
}
