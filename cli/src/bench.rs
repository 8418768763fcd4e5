//! `ndvt bench`: keygen, sign and verify for every parameter set of every hash back-end, as a table or JSON;
//! `ndvt bench aggregate`: one succinct m-of-n aggregate proof, proven and verified.

use std::time::Instant;

use clap::{Args, Subcommand};
use ndvt_xmss::backend::TweakableHash;
use ndvt_xmss::byte_xmss::hash_count;
use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::{BatchItem, Instance, SecretKey, verify_batch};

use crate::bench_aggregate::{AggregateArgs, run_aggregate};
use crate::platform::Platform;
use crate::{Failure, InstanceArg};

/// Arguments of `ndvt bench`: the parameter-set table, unless a subcommand is given.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    /// Another benchmark instead of the parameter-set table.
    #[command(subcommand)]
    command: Option<BenchCommand>,
    /// Also print the rows as one JSON array on the last stdout line.
    #[arg(long)]
    json: bool,
    /// Worker threads for key generation and batch verification (signing and single verification run on one).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Only this parameter set (shorthand for `--scheme NAME`).
    #[arg(long, value_parser = crate::instances::InstanceParser)]
    instance: Option<InstanceArg>,
    /// Only these parameter sets, by name (repeatable; default: all). `--scheme list` prints the names.
    #[arg(long)]
    scheme: Vec<String>,
    /// Activation epochs of each generated key (default: two bottom trees, `2^(h/2+1)`, the smallest key
    /// whose window can advance). Rounded out to whole bottom trees.
    #[arg(long)]
    epochs: Option<u64>,
    /// Signatures to sign and verify per parameter set (medians are reported).
    #[arg(long, default_value_t = 200)]
    samples: usize,
}

/// Benchmarks other than the parameter-set table.
#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Prove and verify one succinct aggregate of N Devnet 4 signatures: N/M groups of M-of-K and N mod M
    /// single-key validators, on single-epoch fixture keys.
    Aggregate(AggregateArgs),
}

/// Hash or permutation calls of one operation: counted (byte back-ends) or estimated from the parameters.
#[derive(Clone, Copy)]
struct Calls {
    keygen: Option<f64>,
    sign: Option<f64>,
    verify: Option<f64>,
    estimated: bool,
}

struct Row {
    scheme: &'static str,
    hash: &'static str,
    log_lifetime: u32,
    base: usize,
    dimension: usize,
    target_sum: usize,
    activation_epochs: u64,
    keygen_seconds: f64,
    sign_us: f64,
    verify_us: f64,
    /// Batch verification of every sample at once, per signature.
    batch_verify_us: f64,
    public_key_bytes: usize,
    signature_bytes: usize,
    secret_key_bytes: usize,
    calls: Calls,
}

type Measure = fn(usize, Option<u64>) -> anyhow::Result<Row>;

/// Every parameter set, in table order.
fn schemes() -> Vec<(&'static str, Measure)> {
    InstanceArg::ALL.iter().map(|&i| (i.name(), with_instance!(i, I => measure::<I> as Measure))).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Expected permutations or compressions of the back-ends that do not count their calls, from the
/// parameters. Poseidon1: a chain step is one width-16 permutation, a leaf absorbs `8v` elements at rate 15
/// into the width-24 sponge, verification adds one message hash and one node per level. leanVM BLAKE2s:
/// a chain step and a node are one compression each, the message encoding two, a leaf
/// `ceil((32 + 16v) / 64)`, a PRF call two (key block and message). Signing depends on the number of rho
/// attempts and is not estimated.
fn estimated_calls<S: Instance>(epochs: u64) -> Calls {
    let (v, w, t, h) =
        (S::DIMENSION as f64, S::BASE as f64, S::TARGET_SUM as f64, f64::from(S::LOG_LIFETIME));
    let (message, leaf, prf) = if S::Hash::FAMILY == "blake2s" {
        (2.0, ((32.0 + 16.0 * v) / 64.0).ceil(), 2.0)
    } else {
        (1.0, (8.0 * v / 15.0).ceil(), 0.0)
    };
    let per_epoch = v * (prf + w - 1.0) + leaf + 1.0;
    Calls {
        keygen: Some(epochs as f64 * per_epoch),
        sign: None,
        verify: Some(message + (v * (w - 1.0) - t) + leaf + h),
        estimated: true,
    }
}

fn measure<S: Instance>(samples: usize, epochs: Option<u64>) -> anyhow::Result<Row> {
    let samples = samples.max(1);
    let before = hash_count();
    let t = Instant::now();
    // Two bottom trees: the smallest key that can advance, and the unit leanSig and hash-sig figures use.
    let window_epochs = 2u64 << (S::LOG_LIFETIME / 2);
    let count = epochs.map_or(window_epochs, |e| e.div_ceil(window_epochs / 2).max(2) * (window_epochs / 2));
    let (sk, pk) = SecretKey::<S>::from_seed(&[0x42; 32], 0, count.min(1 << S::LOG_LIFETIME))?;
    let keygen_seconds = t.elapsed().as_secs_f64();
    let keygen_calls = hash_count().since(before).calls as f64;
    let activation = sk.activation();
    let window = sk.prepared();
    anyhow::ensure!(
        window.start == activation.start,
        "{}: the window does not start the activation",
        S::NAME
    );
    let (mut sign, mut verify) = (Vec::new(), Vec::new());
    let (mut sign_calls, mut verify_calls) = (0u64, 0u64);
    let mut signature_bytes = 0;
    let mut signed = Vec::with_capacity(samples);
    for k in 0..samples as u64 {
        let epoch = window.start + k % (window.end - window.start);
        let mut message = [0u8; 32];
        message[..8].copy_from_slice(&k.to_le_bytes());
        let before = hash_count();
        let t = Instant::now();
        let signature = sk.sign_raw(epoch, &message)?;
        sign.push(t.elapsed().as_secs_f64() * 1e6);
        let middle = hash_count();
        let t = Instant::now();
        pk.verify(epoch, &message, &signature)?;
        verify.push(t.elapsed().as_secs_f64() * 1e6);
        sign_calls += middle.since(before).calls;
        verify_calls += hash_count().since(middle).calls;
        signature_bytes = signature.to_bytes().len();
        signed.push((epoch, message, signature));
    }
    let items: Vec<BatchItem<'_, S>> = signed
        .iter()
        .map(|(epoch, message, signature)| BatchItem { public_key: &pk, epoch: *epoch, message, signature })
        .collect();
    let t = Instant::now();
    let results = verify_batch(&items);
    let batch_verify_us = t.elapsed().as_secs_f64() * 1e6 / samples as f64;
    anyhow::ensure!(results.iter().all(Result::is_ok), "{}: batch verification refused a signature", S::NAME);
    anyhow::ensure!(
        signature_bytes == S::SIGNATURE_BYTES,
        "{}: signature size differs from its parameters",
        S::NAME
    );
    let epochs = activation.end - activation.start;
    let calls = if S::Hash::COUNTS_HASH_CALLS {
        Calls {
            keygen: Some(keygen_calls),
            sign: Some(sign_calls as f64 / samples as f64),
            verify: Some(verify_calls as f64 / samples as f64),
            estimated: false,
        }
    } else {
        estimated_calls::<S>(epochs)
    };
    Ok(Row {
        scheme: S::NAME,
        hash: S::Hash::FAMILY,
        log_lifetime: S::LOG_LIFETIME,
        base: S::BASE,
        dimension: S::DIMENSION,
        target_sum: S::TARGET_SUM,
        activation_epochs: epochs,
        keygen_seconds,
        sign_us: median(sign),
        verify_us: median(verify),
        batch_verify_us,
        public_key_bytes: S::PUBLIC_KEY_BYTES,
        signature_bytes,
        secret_key_bytes: sk.to_bytes().len(),
        calls,
    })
}

/// The parameter sets selected by the arguments, in table order.
fn selected(args: &BenchArgs) -> anyhow::Result<Vec<(&'static str, Measure)>> {
    let mut names: Vec<String> = args.scheme.clone();
    names.extend(args.instance.map(|i| i.name().to_string()));
    let all = schemes();
    if names.is_empty() {
        return Ok(all);
    }
    for name in &names {
        if !all.iter().any(|(n, _)| n == name) {
            let known: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
            anyhow::bail!("unknown parameter set `{name}`; known: {}", known.join(", "));
        }
    }
    Ok(all.into_iter().filter(|(n, _)| names.iter().any(|m| m == n)).collect())
}

fn calls_cell(value: Option<f64>, estimated: bool) -> String {
    match value {
        Some(v) if estimated => format!("~{v:.0}"),
        Some(v) => format!("{v:.0}"),
        None => "-".into(),
    }
}

fn json_number(value: Option<f64>) -> String {
    value.map_or_else(|| "null".into(), |v| format!("{v:.1}"))
}

fn print_table(rows: &[Row], args: &BenchArgs, platform: &Platform) {
    println!("{}", platform.line());
    println!(
        "{:<14} {:<9} {:>4} {:>2} {:>3} {:>3} {:>7} {:>9} {:>9} {:>9} {:>8} {:>10} {:>7} {:>8} {:>5} {:>6} {:>10}",
        "scheme",
        "hash",
        "logL",
        "w",
        "v",
        "T",
        "epochs",
        "keygen s",
        "sign µs",
        "verify µs",
        "batch µs",
        "keygen #h",
        "sign #h",
        "verify #h",
        "pk B",
        "sig B",
        "sk B"
    );
    for r in rows {
        println!(
            "{:<14} {:<9} {:>4} {:>2} {:>3} {:>3} {:>7} {:>9.3} {:>9.1} {:>9.1} {:>8.1} {:>10} {:>7} {:>8} {:>5} {:>6} {:>10}",
            r.scheme,
            r.hash,
            r.log_lifetime,
            r.base,
            r.dimension,
            r.target_sum,
            r.activation_epochs,
            r.keygen_seconds,
            r.sign_us,
            r.verify_us,
            r.batch_verify_us,
            calls_cell(r.calls.keygen, r.calls.estimated),
            calls_cell(r.calls.sign, r.calls.estimated),
            calls_cell(r.calls.verify, r.calls.estimated),
            r.public_key_bytes,
            r.signature_bytes,
            r.secret_key_bytes
        );
    }
    println!(
        "(keygen and batch on {} thread(s), sign and verify on one; medians of {} signatures; sign includes its \
         self-check; batch = every sample in one batch verification, per signature; #h = hash/PRF calls (SHA-3, \
         BLAKE3: counted, sign/verify averaged) or ~permutations (Poseidon1: estimated); sk B = encoded key \
         (Poseidon1) or key material held (SHA-3, BLAKE3))",
        args.threads, args.samples
    );
}

fn json_row(r: &Row, threads: usize, platform: &Platform) -> String {
    format!(
        "{{\"scheme\":\"{}\",\"hash\":\"{}\",\"log_lifetime\":{},\"base\":{},\"chains\":{},\"target_sum\":{},\
         \"activation_epochs\":{},\"keygen_seconds\":{:.6},\"sign_us\":{:.3},\"verify_us\":{:.3},\
         \"batch_verify_us\":{:.3},\"public_key_bytes\":{},\"signature_bytes\":{},\"secret_key_bytes\":{},\"keygen_hash_calls\":{},\
         \"sign_hash_calls\":{},\"verify_hash_calls\":{},\"hash_calls_estimated\":{},\"threads\":{},{}}}",
        r.scheme,
        r.hash,
        r.log_lifetime,
        r.base,
        r.dimension,
        r.target_sum,
        r.activation_epochs,
        r.keygen_seconds,
        r.sign_us,
        r.verify_us,
        r.batch_verify_us,
        r.public_key_bytes,
        r.signature_bytes,
        r.secret_key_bytes,
        json_number(r.calls.keygen),
        json_number(r.calls.sign),
        json_number(r.calls.verify),
        r.calls.estimated,
        threads,
        platform.json_fields()
    )
}

/// Runs `ndvt bench`: the subcommand if one was given, otherwise the parameter-set table.
pub fn run(args: &BenchArgs) -> Result<(), Failure> {
    match &args.command {
        Some(BenchCommand::Aggregate(aggregate)) => run_aggregate(aggregate),
        None => run_table(args).map_err(Failure::from),
    }
}

/// Runs the parameter-set table.
fn run_table(args: &BenchArgs) -> anyhow::Result<()> {
    if args.scheme.iter().any(|s| s == "list") {
        for (name, _) in schemes() {
            println!("{name}");
        }
        return Ok(());
    }
    let wanted = selected(args)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads.max(1)).build()?;
    let mut rows = Vec::new();
    for (name, measure) in wanted {
        eprintln!("measuring {name} …");
        // Keygen runs its rayon work in this pool; sign and verify run on the pool's thread, one at a time.
        rows.push(pool.install(|| measure(args.samples, args.epochs))?);
    }
    let platform = Platform::this();
    print_table(&rows, args, &platform);
    if args.json {
        let items: Vec<String> = rows.iter().map(|r| json_row(r, args.threads, &platform)).collect();
        println!("[{}]", items.join(","));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn args(scheme: &[&str], instance: Option<InstanceArg>) -> BenchArgs {
        BenchArgs {
            command: None,
            json: true,
            threads: 1,
            instance,
            scheme: scheme.iter().map(|s| s.to_string()).collect(),
            epochs: None,
            samples: 3,
        }
    }

    #[test]
    fn selection_by_name_and_instance() {
        assert_eq!(selected(&args(&[], None)).unwrap().len(), schemes().len());
        let picked = selected(&args(&["blake3-l32-w8"], Some(InstanceArg::Devnet4))).unwrap();
        let names: Vec<&str> = picked.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["devnet4", "blake3-l32-w8"]);
        let err = selected(&args(&["sha3-l99-w4"], None)).err().unwrap().to_string();
        assert!(err.contains("unknown parameter set `sha3-l99-w4`"), "{err}");
    }

    #[test]
    fn rows_carry_every_required_json_field() {
        let row = measure::<ndvt_xmss::byte_xmss::Blake3Test>(3, None).unwrap();
        assert_eq!((row.activation_epochs, row.signature_bytes), (32, 24 + 32 * 8 + 32 * 48));
        // 1 message hash + (v(w-1) - T) steps + 1 leaf + 8 nodes, counted exactly (this thread only hashed).
        assert!(row.calls.verify.unwrap() >= (1 + (48 * 7 - 185) + 1 + 8) as f64);
        let json = json_row(&row, 1, &Platform::this());
        for key in [
            "\"scheme\":\"blake3-test\"",
            "\"hash\":\"blake3\"",
            "\"log_lifetime\":8",
            "\"activation_epochs\":32",
            "\"keygen_seconds\":",
            "\"sign_us\":",
            "\"verify_us\":",
            "\"batch_verify_us\":",
            "\"public_key_bytes\":50",
            "\"signature_bytes\":1816",
            "\"simd\":\"",
            "\"lanes\":",
            "\"cpu\":",
        ] {
            assert!(json.contains(key), "{key} missing in {json}");
        }
        let poseidon = measure::<ndvt_xmss::TestInstance>(2, None).unwrap();
        assert!(json_row(&poseidon, 1, &Platform::this()).contains("\"hash\":\"poseidon1\""));
    }
}
