/* The C ABI from C: the public vectors (leanSig Devnet 4 and test, leanVM BLAKE2s), every error path bad
 * input can reach, two threads signing through one signer (exactly one signature per epoch), many threads
 * verifying, groups and aggregates. Built and run by ffi/ci.sh, once more under AddressSanitizer.
 *
 * Usage: ndvt_test VECTORS_FILE SCRATCH_DIR
 *   VECTORS_FILE: lines "instance public_key_hex epoch message_hex signature_hex expected" (ci.sh writes it
 *   from testdata/vectors; expected 0 valid, 1 invalid). SCRATCH_DIR: an empty directory for key dirs. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndvt.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                                                 \
    do {                                                                                 \
        checks++;                                                                        \
        if (!(cond)) {                                                                   \
            failures++;                                                                  \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);              \
            fprintf(stderr, __VA_ARGS__);                                                \
            fprintf(stderr, " (last error: %s)\n", ndvt_last_error_message());          \
        }                                                                                \
    } while (0)

#define EXPECT(call, code) \
    do { int32_t got_ = (call); CHECK(got_ == (code), "%s returned %d, expected %d", #call, got_, (code)); } while (0)

/* ---- vectors ---------------------------------------------------------------------------------------- */

typedef struct {
    char instance[32];
    uint8_t *public_key; size_t public_key_len;
    uint64_t epoch;
    uint8_t *message; size_t message_len;
    uint8_t *signature; size_t signature_len;
    int expected;
} vector;

static vector *vectors = NULL;
static size_t vector_count = 0;

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex into a fresh buffer (at least one byte allocated, so an empty value is not NULL). */
static uint8_t *unhex(const char *hex, size_t *len) {
    size_t n = strlen(hex);
    if (n == 1 && hex[0] == '-') n = 0; /* "-" stands for empty */
    uint8_t *out = malloc(n / 2 + 1);
    if (!out) { perror("malloc"); exit(2); }
    for (size_t i = 0; i + 1 < n; i += 2) {
        int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);
        if (hi < 0 || lo < 0) { fprintf(stderr, "bad hex in vectors file\n"); exit(2); }
        out[i / 2] = (uint8_t)(hi * 16 + lo);
    }
    *len = n / 2;
    return out;
}

static void load_vectors(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    size_t cap = 0;
    static char pk[1 << 12], msg[1 << 12], sig[1 << 15];
    char instance[32];
    unsigned long long epoch;
    int expected;
    while (fscanf(f, "%31s %4095s %llu %4095s %32767s %d", instance, pk, &epoch, msg, sig, &expected) == 6) {
        if (vector_count == cap) {
            cap = cap ? cap * 2 : 64;
            vectors = realloc(vectors, cap * sizeof *vectors);
            if (!vectors) { perror("realloc"); exit(2); }
        }
        vector *v = &vectors[vector_count++];
        snprintf(v->instance, sizeof v->instance, "%s", instance);
        v->public_key = unhex(pk, &v->public_key_len);
        v->epoch = epoch;
        v->message = unhex(msg, &v->message_len);
        v->signature = unhex(sig, &v->signature_len);
        v->expected = expected;
    }
    fclose(f);
}

static void free_vectors(void) {
    for (size_t i = 0; i < vector_count; i++) {
        free(vectors[i].public_key);
        free(vectors[i].message);
        free(vectors[i].signature);
    }
    free(vectors);
}

static void test_vectors(void) {
    size_t per_instance[3] = {0, 0, 0}; /* devnet4, test, leanvm */
    for (size_t i = 0; i < vector_count; i++) {
        vector *v = &vectors[i];
        int32_t got = ndvt_verify(v->instance, v->public_key, v->public_key_len, v->epoch, v->message,
                                  v->message_len, v->signature, v->signature_len);
        CHECK(got == v->expected, "vector %zu (%s, epoch %llu): got %d, expected %d", i, v->instance,
              (unsigned long long)v->epoch, got, v->expected);
        if (!strcmp(v->instance, "devnet4")) per_instance[0]++;
        if (!strcmp(v->instance, "test")) per_instance[1]++;
        if (!strcmp(v->instance, "leanvm")) per_instance[2]++;
    }
    CHECK(per_instance[0] >= 16 && per_instance[1] >= 24 && per_instance[2] >= 30,
          "vectors per set: devnet4 %zu, test %zu, leanvm %zu", per_instance[0], per_instance[1], per_instance[2]);

    /* The same answers through batch verification, one batch per instance. */
    const char *sets[3] = {"devnet4", "test", "leanvm"};
    for (int s = 0; s < 3; s++) {
        NdvtBatchItem *items = calloc(vector_count, sizeof *items);
        int32_t *results = calloc(vector_count, sizeof *results);
        int *expected = calloc(vector_count, sizeof *expected);
        size_t n = 0;
        for (size_t i = 0; i < vector_count; i++) {
            vector *v = &vectors[i];
            if (strcmp(v->instance, sets[s])) continue;
            items[n] = (NdvtBatchItem){v->public_key, v->public_key_len, v->epoch, v->message, v->message_len,
                                       v->signature, v->signature_len};
            expected[n++] = v->expected;
        }
        EXPECT(ndvt_verify_batch(sets[s], items, n, results), NDVT_OK);
        for (size_t i = 0; i < n; i++) CHECK(results[i] == expected[i], "%s batch item %zu: %d", sets[s], i, results[i]);
        free(items);
        free(results);
        free(expected);
    }
}

/* ---- verify: every usage error and rejection --------------------------------------------------------- */

static const vector *first_valid(const char *instance) {
    for (size_t i = 0; i < vector_count; i++)
        if (!strcmp(vectors[i].instance, instance) && vectors[i].expected == 0) return &vectors[i];
    fprintf(stderr, "no valid %s vector\n", instance);
    exit(2);
}

static void test_verify_errors(void) {
    const vector *v = first_valid("leanvm");
    const uint8_t *pk = v->public_key, *m = v->message, *s = v->signature;
    size_t pl = v->public_key_len, ml = v->message_len, sl = v->signature_len;
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, m, ml, s, sl), NDVT_OK);
    CHECK(strlen(ndvt_last_error_message()) == 0, "message after success");
    EXPECT(ndvt_verify(NULL, pk, pl, v->epoch, m, ml, s, sl), NDVT_ERR_NULL_POINTER);
    CHECK(strstr(ndvt_last_error_message(), "instance") != NULL, "names the argument");
    EXPECT(ndvt_verify("leanvm2", pk, pl, v->epoch, m, ml, s, sl), NDVT_ERR_UNKNOWN_INSTANCE);
    EXPECT(ndvt_verify("", pk, pl, v->epoch, m, ml, s, sl), NDVT_ERR_UNKNOWN_INSTANCE);
    EXPECT(ndvt_verify("leanvm", NULL, pl, v->epoch, m, ml, s, sl), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, NULL, ml, s, sl), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, m, ml, NULL, sl), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, m, ml, s, SIZE_MAX), NDVT_ERR_INVALID_ARGUMENT);
    /* Rejections, each with its reason. */
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch + 1, m, ml, s, sl), NDVT_INVALID);
    CHECK(strlen(ndvt_last_error_message()) > 0, "a rejection says why");
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, m, ml - 1, s, sl), NDVT_INVALID);
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, m, ml, s, sl - 1), NDVT_INVALID);
    EXPECT(ndvt_verify("leanvm", pk, 0, v->epoch, m, ml, s, sl), NDVT_INVALID);
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, m, ml, s, 0), NDVT_INVALID);
    EXPECT(ndvt_verify("leanvm", pk, pl, UINT64_MAX, m, ml, s, sl), NDVT_INVALID);
    EXPECT(ndvt_verify("devnet4", pk, pl, v->epoch, m, ml, s, sl), NDVT_INVALID);
    uint8_t *flipped = malloc(sl);
    memcpy(flipped, s, sl);
    flipped[sl / 2] ^= 1;
    EXPECT(ndvt_verify("leanvm", pk, pl, v->epoch, m, ml, flipped, sl), NDVT_INVALID);
    free(flipped);

    NdvtBatchItem item = {pk, pl, v->epoch, m, ml, s, sl};
    int32_t result = 7;
    EXPECT(ndvt_verify_batch("leanvm", NULL, 1, &result), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_verify_batch("leanvm", &item, 1, NULL), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_verify_batch("nope", &item, 1, &result), NDVT_ERR_UNKNOWN_INSTANCE);
    item.signature = NULL;
    EXPECT(ndvt_verify_batch("leanvm", &item, 1, &result), NDVT_ERR_NULL_POINTER);
    CHECK(result == 7, "results untouched after a usage error");
    EXPECT(ndvt_verify_batch("leanvm", &item, 0, &result), NDVT_OK);

    size_t pkl = 0, sgl = 0;
    EXPECT(ndvt_instance_sizes("leanvm", &pkl, &sgl), NDVT_OK);
    CHECK(pkl == 32 && sgl == 1208, "leanvm sizes %zu %zu", pkl, sgl);
    EXPECT(ndvt_instance_sizes("devnet4", &pkl, &sgl), NDVT_OK);
    CHECK(pkl == 52 && sgl == 2536, "devnet4 sizes %zu %zu", pkl, sgl);
    EXPECT(ndvt_instance_sizes("x", &pkl, &sgl), NDVT_ERR_UNKNOWN_INSTANCE);
    EXPECT(ndvt_instance_sizes("test", NULL, &sgl), NDVT_ERR_NULL_POINTER);
    size_t count = ndvt_instance_count();
    CHECK(count >= 4, "instance count %zu", count);
    CHECK(!strcmp(ndvt_instance_name(0), "devnet4"), "first name");
    CHECK(ndvt_instance_name(count) == NULL, "past the end");
    for (size_t i = 0; i < count; i++) EXPECT(ndvt_instance_sizes(ndvt_instance_name(i), &pkl, &sgl), NDVT_OK);
}

/* ---- keys and the durable signer --------------------------------------------------------------------- */

static char scratch[1024];

static void path_of(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", scratch, name); }

static void test_signer(void) {
    char dir[140], other[140], missing[140];
    path_of(dir, sizeof dir, "signer");
    path_of(other, sizeof other, "fresh");
    path_of(missing, sizeof missing, "missing");
    uint8_t seed[32], msg[32], msg2[32];
    memset(seed, 0x21, 32);
    memset(msg, 0x42, 32);
    memset(msg2, 0x07, 32);
    NdvtSigner *signer = NULL;

    EXPECT(ndvt_keygen_from_seed("test", dir, seed, 31, 0, 0, 64, &signer), NDVT_ERR_INVALID_ARGUMENT);
    EXPECT(ndvt_keygen_from_seed("nope", dir, seed, 32, 0, 0, 64, &signer), NDVT_ERR_UNKNOWN_INSTANCE);
    EXPECT(ndvt_keygen_from_seed("test", NULL, seed, 32, 0, 0, 64, &signer), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_keygen_from_seed("test", "", seed, 32, 0, 0, 64, &signer), NDVT_ERR_INVALID_ARGUMENT);
    EXPECT(ndvt_keygen_from_seed("test", dir, NULL, 32, 0, 0, 64, &signer), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_keygen_from_seed("test", dir, seed, 32, 0, 250, 40, &signer), NDVT_ERR_KEY);
    EXPECT(ndvt_keygen_from_seed("test", dir, seed, 32, 0, 0, 64, NULL), NDVT_ERR_NULL_POINTER);
    /* Nothing was created by the failed calls: the directory is still free, and then it holds a key. */
    EXPECT(ndvt_keygen_from_seed("test", dir, seed, 32, 0, 0, 64, &signer), NDVT_OK);
    ndvt_signer_close(signer);
    EXPECT(ndvt_keygen_from_seed("test", dir, seed, 32, 0, 0, 64, &signer), NDVT_ERR_KEY_DIRECTORY);
    EXPECT(ndvt_signer_open(dir, NULL), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_signer_open(dir, &signer), NDVT_OK);
    CHECK(signer != NULL, "handle");

    NdvtBytes sig = {0}, sig2 = {0}, pk = {0}, pk_dir = {0};
    EXPECT(ndvt_signer_public_key(signer, &pk), NDVT_OK);
    CHECK(pk.len == 52, "test public key length %zu", pk.len);
    EXPECT(ndvt_signer_sign(signer, 5, msg, 32, &sig), NDVT_OK);
    CHECK(sig.len == 424, "signature length %zu", sig.len);
    EXPECT(ndvt_verify("test", pk.data, pk.len, 5, msg, 32, sig.data, sig.len), NDVT_OK);
    EXPECT(ndvt_signer_sign(signer, 5, msg, 32, &sig2), NDVT_OK); /* the identical repeat */
    CHECK(sig2.len == sig.len && !memcmp(sig.data, sig2.data, sig.len), "the repeat gives the same bytes");
    ndvt_bytes_free(&sig2);
    CHECK(sig2.data == NULL && sig2.len == 0, "freed buffer reset");
    ndvt_bytes_free(&sig2); /* twice: a no-op */
    ndvt_bytes_free(NULL);
    EXPECT(ndvt_signer_sign(signer, 5, msg2, 32, &sig2), NDVT_ERR_REFUSED);
    EXPECT(ndvt_signer_sign(signer, 4, msg2, 32, &sig2), NDVT_ERR_REFUSED);
    EXPECT(ndvt_signer_sign(signer, 40, msg, 32, &sig2), NDVT_ERR_NOT_SIGNABLE);
    EXPECT(ndvt_signer_sign(signer, 6, msg, 31, &sig2), NDVT_ERR_INVALID_ARGUMENT);
    EXPECT(ndvt_signer_sign(signer, 6, NULL, 32, &sig2), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_signer_sign(signer, 6, msg, 32, NULL), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_signer_sign(NULL, 6, msg, 32, &sig2), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_signer_prepare_until(signer, 300), NDVT_ERR_NOT_SIGNABLE);
    EXPECT(ndvt_signer_prepare_until(NULL, 3), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_signer_prepare_until(signer, 40), NDVT_OK);
    EXPECT(ndvt_signer_sign(signer, 40, msg, 32, &sig2), NDVT_OK);
    EXPECT(ndvt_verify("test", pk.data, pk.len, 40, msg, 32, sig2.data, sig2.len), NDVT_OK);
    ndvt_bytes_free(&sig2);

    NdvtKeyInfo info;
    EXPECT(ndvt_signer_info(signer, &info), NDVT_OK);
    CHECK(!strcmp(info.instance, "test"), "instance %s", info.instance);
    CHECK(info.has_watermark == 1 && info.watermark == 40 && info.next_epoch == 41, "record %llu %llu",
          (unsigned long long)info.watermark, (unsigned long long)info.next_epoch);
    CHECK(info.activation_start == 0 && info.activation_end >= 64 && info.prepared_start <= 40 &&
              40 < info.prepared_end && info.remaining == info.activation_end - 41,
          "ranges");
    EXPECT(ndvt_signer_info(signer, NULL), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_signer_info(NULL, &info), NDVT_ERR_NULL_POINTER);

    /* One writer per key directory: a second handle is refused, reading without the lock is fine. */
    NdvtSigner *second = NULL;
    EXPECT(ndvt_signer_open(dir, &second), NDVT_ERR_LOCKED);
    CHECK(second == NULL, "no handle on failure");
    EXPECT(ndvt_key_public_key(dir, &pk_dir), NDVT_OK);
    CHECK(pk_dir.len == pk.len && !memcmp(pk.data, pk_dir.data, pk.len), "public key from the directory");
    NdvtKeyInfo dir_info;
    EXPECT(ndvt_key_info(dir, &dir_info), NDVT_OK);
    CHECK(dir_info.next_epoch == 41, "directory record");
    ndvt_signer_close(signer);
    ndvt_signer_close(NULL);
    EXPECT(ndvt_signer_open(dir, &second), NDVT_OK);
    EXPECT(ndvt_signer_sign(second, 40, msg2, 32, &sig2), NDVT_ERR_REFUSED);
    ndvt_signer_close(second);

    EXPECT(ndvt_signer_open(missing, &second), NDVT_ERR_KEY_DIRECTORY);
    EXPECT(ndvt_signer_open(NULL, &second), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_key_public_key(missing, &pk_dir), NDVT_ERR_KEY_DIRECTORY);
    EXPECT(ndvt_key_info(missing, &dir_info), NDVT_ERR_KEY_DIRECTORY);

    /* Fresh OS randomness: signs from its activation start. */
    EXPECT(ndvt_keygen("leanvm-test", other, 0, 0, &second), NDVT_OK);
    EXPECT(ndvt_signer_info(second, &info), NDVT_OK);
    CHECK(info.next_epoch == 0 && info.has_watermark == 0 && !strcmp(info.instance, "leanvm-test"), "fresh key");
    EXPECT(ndvt_keygen("leanvm-test", other, 0, 0, &signer), NDVT_ERR_LOCKED);
    ndvt_signer_close(second);
    EXPECT(ndvt_keygen("nope", other, 0, 0, &signer), NDVT_ERR_UNKNOWN_INSTANCE);

    ndvt_bytes_free(&sig);
    ndvt_bytes_free(&pk);
    ndvt_bytes_free(&pk_dir);
}

/* ---- threads ----------------------------------------------------------------------------------------- */

#define SIGN_EPOCHS 32

typedef struct {
    NdvtSigner *signer;
    uint8_t tag;
    NdvtBytes signatures[SIGN_EPOCHS];
    int bad_codes;
} sign_job;

static void *sign_all(void *arg) {
    sign_job *job = arg;
    uint8_t msg[32];
    memset(msg, job->tag, 32);
    for (uint64_t e = 0; e < SIGN_EPOCHS; e++) {
        int32_t code = ndvt_signer_sign(job->signer, e, msg, 32, &job->signatures[e]);
        if (code != NDVT_OK && code != NDVT_ERR_REFUSED) job->bad_codes++;
    }
    return NULL;
}

static void test_two_threads_sign_each_epoch_once(void) {
    char dir[1100];
    path_of(dir, sizeof dir, "threads");
    uint8_t seed[32];
    memset(seed, 0x33, 32);
    NdvtSigner *signer = NULL;
    EXPECT(ndvt_keygen_from_seed("test", dir, seed, 32, 0, 0, 64, &signer), NDVT_OK);
    NdvtBytes pk = {0};
    EXPECT(ndvt_signer_public_key(signer, &pk), NDVT_OK);
    sign_job jobs[2] = {{signer, 0xa1, {{0}}, 0}, {signer, 0xb2, {{0}}, 0}};
    pthread_t threads[2];
    for (int t = 0; t < 2; t++) pthread_create(&threads[t], NULL, sign_all, &jobs[t]);
    for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
    int total = 0;
    for (uint64_t e = 0; e < SIGN_EPOCHS; e++) {
        int released = 0;
        for (int t = 0; t < 2; t++) {
            NdvtBytes *s = &jobs[t].signatures[e];
            if (s->data == NULL) continue;
            released++;
            uint8_t msg[32];
            memset(msg, jobs[t].tag, 32);
            EXPECT(ndvt_verify("test", pk.data, pk.len, e, msg, 32, s->data, s->len), NDVT_OK);
            ndvt_bytes_free(s);
        }
        CHECK(released == 1, "epoch %llu released %d signatures", (unsigned long long)e, released);
        total += released;
    }
    CHECK(total == SIGN_EPOCHS && jobs[0].bad_codes == 0 && jobs[1].bad_codes == 0, "total %d", total);
    ndvt_bytes_free(&pk);
    ndvt_signer_close(signer);
}

typedef struct { int mismatches; } verify_job;

static void *verify_all(void *arg) {
    verify_job *job = arg;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < vector_count; i++) {
            vector *v = &vectors[i];
            if (!strcmp(v->instance, "devnet4") && i % 4) continue; /* keep the slow set's share small */
            int32_t got = ndvt_verify(v->instance, v->public_key, v->public_key_len, v->epoch, v->message,
                                      v->message_len, v->signature, v->signature_len);
            if (got != v->expected) job->mismatches++;
            if (got == NDVT_INVALID && strlen(ndvt_last_error_message()) == 0) job->mismatches++;
        }
    return NULL;
}

static void test_many_threads_verify(void) {
    enum { THREADS = 8 };
    pthread_t threads[THREADS];
    verify_job jobs[THREADS] = {{0}};
    for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, verify_all, &jobs[t]);
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(jobs[t].mismatches == 0, "thread %d: %d mismatches", t, jobs[t].mismatches);
    }
}

/* ---- groups and aggregates --------------------------------------------------------------------------- */

static void test_groups(void) {
    enum { N = 4 };
    NdvtSigner *signers[N];
    NdvtBytes pks[N];
    uint8_t msg[32];
    memset(msg, 0x5c, 32);
    for (int i = 0; i < N; i++) {
        char dir[1100], name[16];
        snprintf(name, sizeof name, "member%d", i);
        path_of(dir, sizeof dir, name);
        uint8_t seed[32];
        memset(seed, 0x60 + i, 32);
        EXPECT(ndvt_keygen_from_seed("test", dir, seed, 32, 0, 0, 64, &signers[i]), NDVT_OK);
        EXPECT(ndvt_signer_public_key(signers[i], &pks[i]), NDVT_OK);
    }
    NdvtBuffer members[3] = {{pks[0].data, pks[0].len}, {pks[1].data, pks[1].len}, {pks[2].data, pks[2].len}};
    NdvtBytes group = {0}, warnings = {0};
    NdvtGroupReport report;
    EXPECT(ndvt_group_create("test", 2, members, 3, 0, &group, &report, &warnings), NDVT_OK);
    CHECK(report.liveness_margin == 1 && report.safety_margin == 0, "margins %d %d", report.liveness_margin,
          report.safety_margin);
    CHECK(group.len == 3 + 3 * 52, "group key length %zu", group.len);
    ndvt_bytes_free(&warnings);
    uint8_t group_id[32];
    memcpy(group_id, report.group_id, 32);

    NdvtBytes scratch_key = {0};
    EXPECT(ndvt_group_create("test", 1, members, 2, 0, &scratch_key, &report, &warnings), NDVT_ERR_GROUP_LINTER);
    EXPECT(ndvt_group_create("test", 0, members, 3, 0, &scratch_key, &report, &warnings), NDVT_ERR_GROUP_LINTER);
    EXPECT(ndvt_group_create("test", 1, members, 2, 1, &scratch_key, &report, &warnings), NDVT_OK);
    CHECK(report.safety_margin < 0 && report.warning_count > 0 && warnings.len > 0, "backup policy warns");
    ndvt_bytes_free(&scratch_key);
    ndvt_bytes_free(&warnings);
    NdvtBuffer bad[2] = {{pks[0].data, pks[0].len}, {pks[1].data, pks[1].len - 1}};
    EXPECT(ndvt_group_create("test", 2, bad, 2, 0, &scratch_key, &report, &warnings), NDVT_ERR_GROUP_KEY);
    EXPECT(ndvt_group_create("test", 2, NULL, 2, 0, &scratch_key, &report, &warnings), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_group_create("test", 2, members, 3, 0, &scratch_key, NULL, &warnings), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_group_create("zzz", 2, members, 3, 0, &scratch_key, &report, &warnings), NDVT_ERR_UNKNOWN_INSTANCE);

    /* Members 0 and 1 sign; their shares combine. */
    NdvtBytes shares[2], sigs[2];
    for (int i = 0; i < 2; i++) {
        EXPECT(ndvt_signer_sign(signers[i], 9, msg, 32, &sigs[i]), NDVT_OK);
        EXPECT(ndvt_group_share("test", pks[i].data, pks[i].len, 9, msg, 32, sigs[i].data, sigs[i].len, &shares[i]),
               NDVT_OK);
    }
    EXPECT(ndvt_group_share("test", pks[0].data, pks[0].len, 9, msg, 32, sigs[0].data, 3, &scratch_key),
           NDVT_ERR_GROUP_SIGNATURE);
    NdvtBuffer share_list[2] = {{shares[0].data, shares[0].len}, {shares[1].data, shares[1].len}};
    NdvtBytes group_sig = {0};
    EXPECT(ndvt_group_combine("test", group.data, group.len, share_list, 1, &scratch_key), NDVT_ERR_GROUP_SIGNATURE);
    EXPECT(ndvt_group_combine("test", group.data, 5, share_list, 2, &scratch_key), NDVT_ERR_GROUP_KEY);
    EXPECT(ndvt_group_combine("test", group.data, group.len, share_list, 2, NULL), NDVT_ERR_NULL_POINTER);
    EXPECT(ndvt_group_combine("test", group.data, group.len, share_list, 2, &group_sig), NDVT_OK);
    CHECK(group_sig.len > 32 && !memcmp(group_sig.data, group_id, 32), "the signature names its group");
    EXPECT(ndvt_group_verify("test", group.data, group.len, 9, msg, 32, group_sig.data, group_sig.len), NDVT_OK);
    EXPECT(ndvt_group_verify("test", group.data, group.len, 10, msg, 32, group_sig.data, group_sig.len), NDVT_INVALID);
    EXPECT(ndvt_group_verify("test", group.data, group.len, 9, msg, 32, group_sig.data, group_sig.len - 1),
           NDVT_INVALID);
    EXPECT(ndvt_group_verify("test", group.data, 4, 9, msg, 32, group_sig.data, group_sig.len), NDVT_INVALID);
    EXPECT(ndvt_group_verify("leanvm", group.data, group.len, 9, msg, 32, group_sig.data, group_sig.len), NDVT_INVALID);
    EXPECT(ndvt_group_verify("test", NULL, group.len, 9, msg, 32, group_sig.data, group_sig.len), NDVT_ERR_NULL_POINTER);

    /* An aggregate over [the group, member 3 alone]. */
    NdvtBytes single = {0}, aggregate = {0};
    EXPECT(ndvt_signer_sign(signers[3], 9, msg, 32, &single), NDVT_OK);
    NdvtContribution parts[2] = {{0, 1, {group_sig.data, group_sig.len}}, {1, 0, {single.data, single.len}}};
    EXPECT(ndvt_aggregate_concat("test", 2, 9, msg, 32, parts, 2, &aggregate), NDVT_OK);
    NdvtContribution stray = {5, 0, {single.data, single.len}};
    EXPECT(ndvt_aggregate_concat("test", 2, 9, msg, 32, &stray, 1, &scratch_key), NDVT_ERR_GROUP_SIGNATURE);
    NdvtContribution odd = {0, 9, {single.data, single.len}};
    EXPECT(ndvt_aggregate_concat("test", 2, 9, msg, 32, &odd, 1, &scratch_key), NDVT_ERR_INVALID_ARGUMENT);
    NdvtParticipant registry[2] = {{1, {group.data, group.len}}, {0, {pks[3].data, pks[3].len}}};
    EXPECT(ndvt_aggregate_verify("test", registry, 2, 9, msg, 32, aggregate.data, aggregate.len), NDVT_OK);
    EXPECT(ndvt_aggregate_verify("test", registry, 2, 8, msg, 32, aggregate.data, aggregate.len), NDVT_INVALID);
    EXPECT(ndvt_aggregate_verify("test", registry, 1, 9, msg, 32, aggregate.data, aggregate.len), NDVT_INVALID);
    EXPECT(ndvt_aggregate_verify("test", registry, 2, 9, msg, 32, aggregate.data, aggregate.len - 1), NDVT_INVALID);
    NdvtParticipant swapped[2] = {registry[1], registry[0]};
    EXPECT(ndvt_aggregate_verify("test", swapped, 2, 9, msg, 32, aggregate.data, aggregate.len), NDVT_INVALID);
    NdvtParticipant weird[1] = {{4, {group.data, group.len}}};
    EXPECT(ndvt_aggregate_verify("test", weird, 1, 9, msg, 32, aggregate.data, aggregate.len), NDVT_ERR_INVALID_ARGUMENT);
    EXPECT(ndvt_aggregate_verify("test", NULL, 1, 9, msg, 32, aggregate.data, aggregate.len), NDVT_ERR_NULL_POINTER);

    ndvt_bytes_free(&aggregate);
    ndvt_bytes_free(&single);
    ndvt_bytes_free(&group_sig);
    ndvt_bytes_free(&group);
    for (int i = 0; i < 2; i++) {
        ndvt_bytes_free(&shares[i]);
        ndvt_bytes_free(&sigs[i]);
    }
    for (int i = 0; i < N; i++) {
        ndvt_bytes_free(&pks[i]);
        ndvt_signer_close(signers[i]);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s VECTORS_FILE SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    snprintf(scratch, sizeof scratch, "%s", argv[2]);
    load_vectors(argv[1]);
    test_vectors();
    test_verify_errors();
    test_signer();
    test_two_threads_sign_each_epoch_once();
    test_many_threads_verify();
    test_groups();
    free_vectors();
    printf("ndvt C ABI: %d checks, %d failures (%zu vectors)\n", checks, failures, vector_count);
    return failures ? 1 : 0;
}
