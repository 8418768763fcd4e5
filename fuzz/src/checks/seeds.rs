//! The seed corpora: valid encodings of every object, plus inputs that drive each target through its
//! accepting paths. `aggregation/tests/fuzz_corpus.rs` writes them to `fuzz/corpus/<target>/` when run with
//! `NDVT_WRITE_FUZZ_CORPUS=1` (see docs/FUZZING.md); libFuzzer grows its own corpus from there.

use ndvt_aggregation::{Ed25519, Share};
use ndvt_xmss::{SecretKey, TestInstance};

use super::fixtures::{EPOCH, FuzzScheme, MSG, TestXmss};
use super::roundtrip::DECODERS;
use super::structured::{OBJECTS, original};

/// A Devnet 4 public key and one of its signatures with its epoch and message (from the interop vectors),
/// so the Devnet 4 decoders start from real encodings.
pub struct Devnet4Sample {
    /// The 52-byte public key.
    pub public_key: Vec<u8>,
    /// The epoch signed.
    pub epoch: u32,
    /// The message signed.
    pub message: [u8; 32],
    /// The 2536-byte signature.
    pub signature: Vec<u8>,
}

type Seeds = Vec<(String, Vec<u8>)>;

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn share_bytes<S: FuzzScheme>(member: u8) -> Vec<u8> {
    let w = S::world();
    let signature = w.member_sigs[usize::from(member)].clone();
    Share::<S> { member, epoch: EPOCH, message: MSG, signature }.to_bytes()
}

/// Seeds of `target`, by file name.
pub fn seeds(target: &str, devnet4: &Devnet4Sample) -> Seeds {
    let x = TestXmss::world();
    let d4 = devnet4;
    let s = |name: &str, bytes: Vec<u8>| (name.to_string(), bytes);
    let test_sig = x.single_sig.to_bytes();
    let test_pk = x.single.to_bytes();
    let epoch_sig = cat(&[&(EPOCH as u32).to_le_bytes(), &test_sig]);
    let d4_epoch_sig = cat(&[&d4.epoch.to_le_bytes(), &d4.signature]);
    match target {
        "decode_public_key" => vec![s("test", test_pk), s("devnet4", d4.public_key.clone())],
        "decode_signature" => vec![
            s("test", test_sig),
            s("test-with-epoch", epoch_sig),
            s("devnet4", d4.signature.clone()),
            s("devnet4-with-epoch", d4_epoch_sig),
        ],
        "decode_secret_key" => {
            let (later, _) = SecretKey::<TestInstance>::from_seed(&[9; 32], 32, 64).expect("keygen");
            vec![s("test-0-256", x.single_secret.clone()), s("test-32-64", later.to_bytes().to_vec())]
        }
        "decode_leanvm" => {
            use ndvt_xmss::hazmat::RawSign;
            use ndvt_xmss::leanvm::{LeanVm, LeanVmTest};
            let (test_sk, test_pk) = SecretKey::<LeanVmTest>::from_seed(&[5; 32], 0, 64).expect("keygen");
            let test_sig = test_sk.sign_raw(9, &MSG).expect("sign").to_bytes();
            let (sk, pk) = SecretKey::<LeanVm>::from_seed(&[6; 32], 1 << 20, 1).expect("keygen");
            let sig = sk.sign_raw(1 << 20, &MSG).expect("sign").to_bytes();
            vec![
                s("leanvm-public-key", pk.to_bytes()),
                s("leanvm-signature", sig.clone()),
                s("leanvm-with-epoch", cat(&[&(1u32 << 20).to_le_bytes(), &sig])),
                s("leanvm-test-public-key", test_pk.to_bytes()),
                s("leanvm-test-with-epoch", cat(&[&9u32.to_le_bytes(), &test_sig])),
                s("leanvm-test-secret-key", test_sk.to_bytes().to_vec()),
            ]
        }
        "decode_group_key" => vec![
            s("xmss-test-3-of-4", original(7)),
            s("ed25519-3-of-4", original(8)),
            s("xmss-devnet4-1-of-1", cat(&[&[1, 1, 1], &d4.public_key])),
        ],
        "decode_group_signature" => vec![s("xmss-test", original(2)), s("ed25519", original(3))],
        "decode_aggregate" => vec![s("xmss-test", original(4)), s("ed25519", original(5))],
        #[cfg(feature = "succinct")]
        "decode_succinct" => succinct_seeds(),
        "verify" => vec![
            s("own-signature", vec![0, 0, 0, 0]),
            s("member-second-pair", vec![2, 1, 1, 1]),
            s("other-key", vec![1, 0, 0, 2]),
            s("bit-flip", vec![0, 0, 0, 0, 40, 0, 1]),
            s("raw", cat(&[&[9], &test_pk, &[0, 0, 3], &x.single_sig.to_bytes()])),
            s(
                "devnet4",
                cat(&[
                    &[0xff],
                    &d4.public_key,
                    &u64::from(d4.epoch).to_le_bytes(),
                    &d4.message,
                    &d4.signature,
                ]),
            ),
        ],
        "group_verify" => vec![
            s("xmss-three-valid", vec![0, 0, 0, 1, 0, 2, 0]),
            s("ed25519-three-valid", vec![1, 0, 0, 1, 0, 2, 0]),
            s("xmss-one-bad-then-fourth", vec![0, 0, 0, 1, 1, 2, 0, 3, 0]),
            s("ed25519-duplicates-unknown-mixed", vec![1, 0, 0, 0, 0, 5, 0, 1, 4, 2, 8, 1, 0, 3, 0]),
            s("ed25519-raw-shares", {
                let mut v = vec![1];
                for m in 0..3 {
                    let b = share_bytes::<Ed25519>(m);
                    v.extend_from_slice(&[m, 0x20]);
                    v.extend_from_slice(&(b.len() as u16).to_le_bytes());
                    v.extend_from_slice(&b);
                }
                v
            }),
            s("xmss-raw-share", {
                let b = share_bytes::<TestXmss>(0);
                cat(&[&[0, 0, 0x20], &(b.len() as u16).to_le_bytes(), &b, &[1, 0, 2, 0]])
            }),
        ],
        "roundtrip" => {
            let samples: Vec<Vec<u8>> = vec![
                x.single.to_bytes(),
                d4.public_key.clone(),
                x.single_sig.to_bytes(),
                d4.signature.clone(),
                cat(&[&(EPOCH as u32).to_le_bytes(), &x.single_sig.to_bytes()]),
                cat(&[&d4.epoch.to_le_bytes(), &d4.signature]),
                x.single_secret.clone(),
                Vec::new(),
                original(7),
                cat(&[&[1, 1, 1], &d4.public_key]),
                original(8),
                original(2),
                original(3),
                original(4),
                original(5),
                share_bytes::<TestXmss>(1),
                share_bytes::<Ed25519>(1),
                keyed::<TestXmss>(),
                keyed::<Ed25519>(),
                vec![0b1011_0101, 0x03],
            ];
            assert_eq!(samples.len(), DECODERS.len());
            samples
                .into_iter()
                .enumerate()
                .filter(|(_, b)| !b.is_empty())
                .map(|(i, b)| (format!("{i:02}"), cat(&[&[i as u8], &b])))
                .collect()
        }
        "structured" => {
            let mut v: Seeds = (0..OBJECTS).map(|k| (format!("object-{k}"), vec![k])).collect();
            v.push(s("signature-word-to-p", vec![0, 1, 8, 0, 0]));
            v.push(s("aggregate-truncated", vec![4, 2, 200, 0]));
            v
        }
        "differential" => vec![
            s("xmss-all-valid", vec![0, 1, 0x0f, 0, 1, 0x07, 0, 3, 0, 0, 1, 1, 3, 3]),
            s("ed25519-all-valid", vec![1, 1, 0x0f, 0, 1, 0x0b, 0, 4, 0, 0, 1, 1, 2, 2, 3, 3]),
            s("xmss-bad-signer", vec![0, 1, 0x0f, 0x02, 2, 0x07, 0, 3, 0, 0, 1, 0x81, 3, 3]),
            s("ed25519-shapes", vec![1, 4, 0x80, 0, 3, 0x03, 0, 4, 0, 0, 1, 1, 3, 3, 3, 3]),
            s("ed25519-index-16", vec![1, 0, 0, 0, 0, 0, 0, 4, 0, 0, 1, 1, 3, 3, 16, 0]),
        ],
        "batch_verify" => {
            let valid: Vec<u8> = (0..20u8).flat_map(|j| [j % 5, (j / 5) & 1, 0]).collect();
            let mixed = vec![
                0, 0, 0, // valid
                1, 2, 0, // the other pair's epoch
                2, 0x44, 0, // epoch 8
                3, 6, 0, 0, 1, 0, 0, 0, 0, 0, 0, // raw epoch 2^8: beyond the lifetime
                4, 0x80, 0, // the other pair's message
                0, 1, 1, 40, 0, 1, // an edited co-path word
                1, 0, 1, 10, 0, 0x80, // an edited rho word
                2, 0, 2, 40, 0, 1, // an edited key parameter
                3, 1, 0, 4, 1, 0, // valid
            ];
            vec![s("twenty-valid", valid), s("mixed", mixed)]
        }
        other => panic!("no seeds for target {other}"),
    }
}

fn keyed<S: FuzzScheme>() -> Vec<u8> {
    let w = S::world();
    let pk = S::public_key_to_bytes(&w.group.members()[1]);
    cat(&[&[S::TAG], &pk, &share_bytes::<S>(1)[1..]])
}

/// A real one-validator succinct aggregate (a proof over a fixture key), and a small container.
#[cfg(feature = "succinct")]
fn succinct_seeds() -> Seeds {
    use ndvt_aggregation::succinct::SuccinctAggregate;
    use ndvt_aggregation::succinct::fixture::single_epoch_signature;
    use ndvt_aggregation::{BitList, ConcatAggregate, Participant};
    let (epoch, message) = (5u32, [7u8; 32]);
    let (pk, sig) = single_epoch_signature(1, epoch, &message);
    let registry = vec![Participant::Single(pk)];
    let mut concat = ConcatAggregate::new(u64::from(epoch), message, 1);
    concat.add_single(0, sig).expect("fixture signature");
    // Plonky3 grinds its proof-of-work witnesses with a parallel search, which may find a different one
    // from run to run; on one thread the proof, and so the committed seed, is reproducible.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("one-thread pool");
    let proven = pool.install(|| SuccinctAggregate::prove(&concat, &registry)).expect("fixture proof");
    let mut bits = BitList::zeros(3);
    bits.set(1, true);
    let small = SuccinctAggregate::from_parts(bits, vec![1, 2, 3]).expect("small container");
    vec![
        ("one-single".to_string(), proven.to_ssz_bytes()),
        ("small-container".to_string(), small.to_ssz_bytes()),
    ]
}
