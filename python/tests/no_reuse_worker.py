"""One of the processes of test_no_reuse: signs epochs of a shared key directory with its own message.

For each epoch it opens the key (retrying while the other process holds the lock), signs, and closes, so
the two processes interleave. Prints one JSON line per epoch: signed (with the signature) or refused.
Arguments: KEY_DIR WORKER_ID EPOCHS GO_FILE DEADLINE_SECONDS.
"""

import json
import os
import sys
import time

import ndvt


def main() -> int:
    key_dir, worker, epochs, go_file, deadline = sys.argv[1:6]
    worker, epochs = int(worker), int(epochs)
    stop = time.monotonic() + float(deadline)
    message = bytes([worker + 1]) * 32
    # Start together: the parent creates GO_FILE once both processes are running.
    while not os.path.exists(go_file):
        if time.monotonic() > stop:
            return 3
        time.sleep(0.005)
    for epoch in range(epochs):
        while True:
            if time.monotonic() > stop:
                return 4
            try:
                with ndvt.Signer.open(key_dir) as signer:
                    try:
                        signature = signer.sign(epoch, message)
                        line = {"epoch": epoch, "signed": True, "signature": signature.hex()}
                    except ndvt.RefusedError:
                        line = {"epoch": epoch, "signed": False}
                break
            except ndvt.LockedError:
                time.sleep(0.001)
        print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
