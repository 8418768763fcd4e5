//! Criterion benches live in `benches/`; this library only holds what every bench binary shares.

/// Prints, once at the start of a bench binary, what the figures below it ran on: the SIMD back-end compiled
/// into this build and the CPU model. Figures differ several times between back-ends (AVX-512 × 16 and
/// AVX2 × 8, say), and criterion's own output does not say which one ran.
///
/// Generic over the argument so that it can be the first target of `criterion_group!`, which hands every
/// target a `&mut Criterion`, without this library depending on criterion.
pub fn print_platform<C>(_criterion: &mut C) {
    println!("{}", platform_line(ndvt_xmss::simd::compiled(), ndvt_xmss::simd::cpu_model().as_deref()));
}

fn platform_line(simd: ndvt_xmss::simd::Backend, cpu: Option<&str>) -> String {
    format!("ndvt benches: SIMD back-end {simd} lanes; CPU: {}", cpu.unwrap_or("unknown"))
}

#[cfg(test)]
mod tests {
    use ndvt_xmss::simd::Backend;

    use super::*;

    #[test]
    fn the_line_names_back_end_lanes_and_cpu() {
        assert_eq!(
            platform_line(Backend::Avx512, Some("AMD EPYC 9R14")),
            "ndvt benches: SIMD back-end AVX-512 × 16 lanes; CPU: AMD EPYC 9R14"
        );
        assert_eq!(
            platform_line(Backend::Scalar, None),
            "ndvt benches: SIMD back-end scalar × 1 lanes; CPU: unknown"
        );
    }
}
