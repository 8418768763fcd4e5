//! `ndvt bench aggregate`: one succinct m-of-n aggregate proof of N signatures, proven and verified.

use std::time::Instant;

use clap::Args;
use ndvt_aggregation::succinct::aggregate::MAX_MEMBERS;
use ndvt_aggregation::succinct::fixture::{AggregateShape, aggregate};
use ndvt_aggregation::succinct::{AggregateProof, MAX_SIGNATURES, prove_aggregate, verify_aggregate};

use crate::Failure;
use crate::platform::Platform;

/// Arguments of `ndvt bench aggregate`.
#[derive(Args, Debug)]
pub struct AggregateArgs {
    /// Signatures the proof carries (the sum of every participant's threshold).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_SIGNATURES as i64))]
    signatures: u32,
    /// Threshold M of each group.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u8).range(1..=MAX_MEMBERS as i64))]
    threshold: u8,
    /// Member keys K of each group (M ≤ K).
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u8).range(1..=MAX_MEMBERS as i64))]
    members: u8,
    /// Also print the figures as one JSON object on the last stdout line.
    #[arg(long)]
    json: bool,
}

/// The message and epoch every fixture key signs (any Devnet 4 epoch costs the proof the same).
const AGGREGATE_MESSAGE: [u8; 32] = [0x5a; 32];
const AGGREGATE_EPOCH: u32 = 1_234_567;

/// The process's peak resident set (`VmHWM`), in bytes; `None` where `/proc` does not report it.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    kib.checked_mul(1024)
}

struct AggregateReport {
    signatures: usize,
    shape: AggregateShape,
    keygen_seconds: f64,
    prove_seconds: f64,
    verify_ms: f64,
    proof_bytes: usize,
    verified: bool,
    peak_rss_bytes: Option<u64>,
    threads: usize,
    platform: Platform,
}

impl AggregateReport {
    fn json(&self) -> String {
        format!(
            "{{\"signatures\":{},\"groups\":{},\"threshold\":{},\"members\":{},\"singles\":{},\"keys\":{},\
             \"keygen_seconds\":{:.6},\"prove_seconds\":{:.6},\"verify_ms\":{:.3},\"proof_bytes\":{},\
             \"verified\":{},\"peak_rss_bytes\":{},\"threads\":{},{}}}",
            self.signatures,
            self.shape.groups,
            self.shape.threshold,
            self.shape.members,
            self.shape.singles,
            self.shape.keys(),
            self.keygen_seconds,
            self.prove_seconds,
            self.verify_ms,
            self.proof_bytes,
            self.verified,
            self.peak_rss_bytes.map_or_else(|| "null".into(), |b| b.to_string()),
            self.threads,
            self.platform.json_fields()
        )
    }

    fn print_table(&self) {
        let s = &self.shape;
        println!("{}", self.platform.line());
        println!(
            "{:>10} {:>14} {:>7} {:>8} {:>9} {:>10} {:>9} {:>12} {:>7} {:>8}",
            "signatures",
            "groups",
            "singles",
            "keygen s",
            "prove s",
            "verify ms",
            "proof B",
            "peak RSS MiB",
            "threads",
            "verified"
        );
        let groups = format!("{} × {}-of-{}", s.groups, s.threshold, s.members);
        let rss = self.peak_rss_bytes.map_or_else(|| "-".into(), |b| format!("{:.1}", b as f64 / 1048576.0));
        println!(
            "{:>10} {:>14} {:>7} {:>8.3} {:>9.3} {:>10.3} {:>9} {:>12} {:>7} {:>8}",
            self.signatures,
            groups,
            s.singles,
            self.keygen_seconds,
            self.prove_seconds,
            self.verify_ms,
            self.proof_bytes,
            rss,
            self.threads,
            self.verified
        );
        println!(
            "(single-epoch Devnet 4 fixture keys; verify ms decodes the proof bytes and verifies them; \
             proving and verification on rayon's {} thread(s))",
            self.threads
        );
    }
}

/// Runs `ndvt bench aggregate`: exit 0 when the proof verifies, 1 when proving fails or it does not verify.
pub(crate) fn run_aggregate(args: &AggregateArgs) -> Result<(), Failure> {
    if args.members < args.threshold {
        return Err(Failure::invalid(format!(
            "a group cannot have threshold {} with {} members",
            args.threshold, args.members
        )));
    }
    let signatures = args.signatures as usize;
    let shape = AggregateShape::for_signatures(signatures, args.threshold, args.members);
    eprintln!("making {} single-epoch Devnet 4 keys and signatures …", shape.keys());
    let t = Instant::now();
    let (statement, contributions) = aggregate(shape, AGGREGATE_EPOCH, &AGGREGATE_MESSAGE)
        .map_err(|e| Failure::invalid(format!("aggregate statement: {e}")))?;
    let keygen_seconds = t.elapsed().as_secs_f64();
    debug_assert_eq!(statement.signatures(), signatures);
    eprintln!("proving {signatures} signatures …");
    let t = Instant::now();
    let proof = prove_aggregate(&statement, &contributions)
        .map_err(|e| Failure::invalid(format!("proving the aggregate failed: {e}")))?;
    let prove_seconds = t.elapsed().as_secs_f64();
    let bytes = proof.to_bytes();
    // The verifier receives bytes, so decoding is part of what it pays.
    let t = Instant::now();
    let verdict = AggregateProof::from_bytes(&bytes).and_then(|p| verify_aggregate(&statement, &p));
    let verify_ms = t.elapsed().as_secs_f64() * 1e3;
    let report = AggregateReport {
        signatures,
        shape,
        keygen_seconds,
        prove_seconds,
        verify_ms,
        proof_bytes: bytes.len(),
        verified: verdict.is_ok(),
        peak_rss_bytes: peak_rss_bytes(),
        threads: rayon::current_num_threads(),
        platform: Platform::this(),
    };
    report.print_table();
    if args.json {
        println!("{}", report.json());
    }
    verdict.map_err(|e| Failure::invalid(format!("the aggregate proof did not verify: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_rss_is_read_from_proc() {
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(peak_rss_bytes().unwrap() > 0);
        }
    }
}
