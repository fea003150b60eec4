# eager.py SEEDFLOW — issue 14's eager rows for bench/run: a program of N tiny eager ops
# (`x = x + 1.0`, a Const and an AddV2 per line) under `seedflow run` at N = 1e4 and 1e5, and
# the same loop on NumPy arrays under this python3, the runs taking turns (best of REPS, CPU
# time and peak memory of each child from getrusage). Every figure is per loop iteration.
# The NumPy loop times itself (time.process_time around the loop): python3 + NumPy take
# 0.2 s of CPU to start, and the spread of that start swamped a 1e5-line loop's 0.1 s when
# it was taken as the difference of two runs (0.63 to 1.47 us a line within a minute).
import os, subprocess, sys, tempfile

REPS = 3
seedflow = sys.argv[1]
TF = "import tensorflow as tf\nx = tf.constant([1.0, 2.0])\nfor i in range({n}):\n    x = x + 1.0\nprint(x)\n"
NP = ("import time\nimport numpy as np\nx = np.array([1.0, 2.0], dtype=np.float32)\nt0 = time.process_time()\n"
      "for i in range({n}):\n    x = x + 1.0\nt1 = time.process_time()\nprint(x)\nprint(t1 - t0)\n")
# A custom training loop (GradientTape, gradient, apply_gradients on a two-layer Keras model,
# about 70 eager ops a step) at N steps: its cost per step must not grow with N either.
LOOP = ("import tensorflow as tf\nx = tf.ones([32, 20]) / 20.0\ny = tf.ones([32, 1])\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu', input_shape=(20,)),\n"
        "                             tf.keras.layers.Dense(1)])\nopt = tf.keras.optimizers.SGD(0.01)\n"
        "for step in range({n}):\n    with tf.GradientTape() as tape:\n"
        "        loss = tf.reduce_mean(tf.square(model(x) - y))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    opt.apply_gradients(zip(grads, model.trainable_variables))\nprint('done')\n")
LOOP_N = (0, 300, 3000)


# A child of this python starts with python's peak RSS (~14 MB: exec keeps the old hiwater
# in ru_maxrss), which hid any smaller peak; GNU time's child starts from time's own few
# hundred KiB, so its %M is the program's peak. Without it, ru_maxrss (a floor of ~14 MB).
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def child(cmd, d, loop=False):
    """CPU seconds and peak KiB of one run of cmd; with loop, the seconds the program printed
    last (its loop's own CPU time)."""
    out = os.path.join(d, "peak")
    run = [GNU_TIME, "-f", "%M", "-o", out] + cmd if GNU_TIME else cmd
    p = subprocess.Popen(run, stdout=subprocess.PIPE if loop else subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    printed = p.stdout.read() if loop else b""
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit("bench eager: %s failed" % " ".join(cmd))
    if loop:
        return float(printed.split()[-1]), 0
    kb = ru.ru_maxrss
    if GNU_TIME:
        with open(out) as f:
            kb = int(f.read().split()[-1])
    return ru.ru_utime + ru.ru_stime, kb


def row(measure, value, target, note, at_most=False):
    ok = value <= target if at_most else value >= target
    t = ("<= %g" if at_most else ">= %g") % target
    print("%-52s %8.3f %8s  %-4s %s" % (measure, value, t, "PASS" if ok else "MISS", note))


with tempfile.TemporaryDirectory() as d:
    progs = {}
    for kind, text, sizes in (("tf", TF, (0, 10000, 100000)), ("np", NP, (0, 10000, 100000)), ("loop", LOOP, LOOP_N)):
        for n in sizes:
            path = os.path.join(d, "%s%d.py" % (kind, n))
            with open(path, "w") as f:
                f.write(text.format(n=n))
            progs[kind, n] = path
    numpy_py = None  # the first python3 with NumPy, as bench-perf looks for one
    for py in (sys.executable, "/usr/bin/python3"):
        if subprocess.run([py, "-c", "import numpy"], capture_output=True).returncode == 0:
            numpy_py = py
            break
    have_np = numpy_py is not None
    best = {}
    for _ in range(REPS):
        for key, path in progs.items():
            if key[0] == "np" and not have_np:
                continue
            cmd = [numpy_py, path] if key[0] == "np" else [seedflow, "run", path]
            t, kb = child(cmd, d, loop=key[0] == "np")
            old = best.get(key, (1e30, 1e30))
            best[key] = (min(old[0], t), min(old[1], kb))

per = {n: (best["tf", n][0] - best["tf", 0][0]) / n for n in (10000, 100000)}
row("eager op cost at 1e5 ops vs at 1e4 ops", per[100000] / per[10000], 1.2,
    "CPU time per `x = x + 1.0` (%.2f / %.2f us)" % (per[100000] * 1e6, per[10000] * 1e6), True)
mem = (best["tf", 100000][1] - best["tf", 10000][1]) * 1024.0 / (2 * 90000)
row("eager memory per op after the op's tensors are dead", mem, 64, "peak RSS growth 1e4 -> 1e5 lines, 2 ops a line", True)
lp = {n: (best["loop", n][0] - best["loop", 0][0]) / n for n in LOOP_N[1:]}
row("training step cost at %d steps vs at %d" % (LOOP_N[2], LOOP_N[1]), lp[LOOP_N[2]] / lp[LOOP_N[1]], 1.2,
    "CPU time per tape + gradient + apply_gradients step (%.0f / %.0f us)" % (lp[LOOP_N[2]] * 1e6, lp[LOOP_N[1]] * 1e6), True)
step_kb = (best["loop", LOOP_N[2]][1] - best["loop", LOOP_N[1]][1]) / (LOOP_N[2] - LOOP_N[1])
print("%-52s %8.3f %8s  %-4s %s" % ("training step memory (KiB a step)", step_kb, "-", "info",
                                      "peak RSS growth %d -> %d steps: trace records and the ids' slots" % LOOP_N[1:]))
if have_np:
    np_per = best["np", 100000][0] / 100000
    row("eager tiny op vs NumPy tiny op", np_per / per[100000], 1.0,
        "per line at 1e5, CPython + NumPy %.2f us" % (np_per * 1e6))
else:
    print("%-52s %8s %8s  %-4s %s" % ("eager tiny op vs NumPy tiny op", "n/a", ">= 1", "SKIP", "no python3 with numpy"))
