import random
import os
SEED = 1234
os.environ["PYTHONHASHSEED"] = str(SEED)
def set_seeds(seed=SEED):
    random.seed(seed)
    return seed
set_seeds()
run1 = [round(random.random(), 6) for _ in range(5)]
set_seeds()
run2 = [round(random.random(), 6) for _ in range(5)]
print(run1 == run2, run1)
config = {"seed": SEED, "lr": 1e-3, "layers": [64, 64], "name": f"exp-{SEED}"}
for k, v in sorted(config.items()):
    print(f"{k:>8}: {v!r}")
rng = random.Random(SEED)
splits = {"train": [], "val": []}
for i in range(20):
    splits["train" if rng.random() < 0.8 else "val"].append(i)
print(splits)
