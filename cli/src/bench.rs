//! `ndvt bench`: keygen, sign and verify for every parameter set, as a table or JSON.

use std::time::Instant;

use clap::Args;
use ndvt_xmss::{Instance, SecretKey};

use crate::{InstanceArg, with_instance};

/// Arguments of `ndvt bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Also print the rows as one JSON array on the last stdout line.
    #[arg(long)]
    json: bool,
    /// Worker threads for key generation (signing and verification are single-threaded).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Only this parameter set (default: all).
    #[arg(long, value_enum)]
    instance: Option<InstanceArg>,
    /// Signatures to sign and verify per parameter set (medians are reported).
    #[arg(long, default_value_t = 200)]
    samples: usize,
}

struct Row {
    scheme: &'static str,
    log_lifetime: u32,
    activation_epochs: u64,
    keygen_seconds: f64,
    sign_us: f64,
    verify_us: f64,
    public_key_bytes: usize,
    signature_bytes: usize,
    secret_key_bytes: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn measure<I: Instance>(samples: usize) -> anyhow::Result<Row> {
    let t = Instant::now();
    let (sk, pk) = SecretKey::<I>::from_seed(&[0x42; 32], 0, 1)?;
    let keygen_seconds = t.elapsed().as_secs_f64();
    let window = sk.prepared();
    let (mut sign, mut verify) = (Vec::new(), Vec::new());
    for k in 0..samples as u64 {
        let epoch = window.start + k % (window.end - window.start);
        let mut message = [0u8; 32];
        message[..8].copy_from_slice(&k.to_le_bytes());
        let t = Instant::now();
        let signature = sk.sign(epoch, &message)?;
        sign.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        pk.verify(epoch, &message, &signature)?;
        verify.push(t.elapsed().as_secs_f64() * 1e6);
    }
    Ok(Row {
        scheme: I::NAME,
        log_lifetime: I::LOG_LIFETIME,
        activation_epochs: sk.activation().end - sk.activation().start,
        keygen_seconds,
        sign_us: median(sign),
        verify_us: median(verify),
        public_key_bytes: I::PUBLIC_KEY_BYTES,
        signature_bytes: I::SIGNATURE_BYTES,
        secret_key_bytes: sk.to_bytes().len(),
    })
}

/// Runs the benchmark table.
pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads.max(1)).build()?;
    let wanted = match args.instance {
        Some(i) => vec![i],
        None => vec![InstanceArg::Test, InstanceArg::Devnet4],
    };
    let mut rows = Vec::new();
    for inst in wanted {
        eprintln!("measuring {inst:?} …");
        rows.push(pool.install(|| with_instance!(inst, I => measure::<I>(args.samples)))?);
    }
    println!(
        "{:<10} {:>4} {:>10} {:>11} {:>10} {:>10} {:>6} {:>7} {:>10}",
        "scheme", "logL", "epochs", "keygen s", "sign µs", "verify µs", "pk B", "sig B", "sk B"
    );
    for r in &rows {
        println!(
            "{:<10} {:>4} {:>10} {:>11.3} {:>10.1} {:>10.1} {:>6} {:>7} {:>10}",
            r.scheme,
            r.log_lifetime,
            r.activation_epochs,
            r.keygen_seconds,
            r.sign_us,
            r.verify_us,
            r.public_key_bytes,
            r.signature_bytes,
            r.secret_key_bytes
        );
    }
    println!(
        "(hash: poseidon1 over KoalaBear; keygen on {} thread(s); medians of {} signatures)",
        args.threads, args.samples
    );
    if args.json {
        let items: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{{\"scheme\":\"{}\",\"hash\":\"poseidon1\",\"log_lifetime\":{},\"activation_epochs\":{},\"keygen_seconds\":{:.6},\"sign_us\":{:.3},\"verify_us\":{:.3},\"public_key_bytes\":{},\"signature_bytes\":{},\"secret_key_bytes\":{},\"threads\":{}}}",
                    r.scheme,
                    r.log_lifetime,
                    r.activation_epochs,
                    r.keygen_seconds,
                    r.sign_us,
                    r.verify_us,
                    r.public_key_bytes,
                    r.signature_bytes,
                    r.secret_key_bytes,
                    args.threads
                )
            })
            .collect();
        println!("[{}]", items.join(","));
    }
    Ok(())
}
