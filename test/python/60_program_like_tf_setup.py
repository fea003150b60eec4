import os
import random
import math
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
os.environ["CUDA_VISIBLE_DEVICES"] = ""
SEED = 42
def reset_random_seeds(seed=SEED):
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    return {"python": seed, "env": os.environ["PYTHONHASHSEED"]}
print(reset_random_seeds())
hparams = dict(units=[32, 16], dropout=0.2, epochs=3, lr=1e-3)
def glorot_limit(fan_in, fan_out):
    return math.sqrt(6.0 / (fan_in + fan_out))
layers = list(zip([8] + hparams["units"], hparams["units"] + [1]))
for i, (fan_in, fan_out) in enumerate(layers):
    lim = glorot_limit(fan_in, fan_out)
    w = [[round(random.uniform(-lim, lim), 4) for _ in range(2)] for _ in range(2)]
    print(f"layer {i}: {fan_in}->{fan_out} limit={lim:.4f} sample={w}")
history = {"loss": []}
loss = 1.0
for epoch in range(hparams["epochs"]):
    loss *= 0.5 + random.random() * 0.1
    history["loss"].append(round(loss, 5))
    print(f"Epoch {epoch + 1}/{hparams['epochs']} - loss: {loss:.4f}")
print(history, min(history["loss"]) == history["loss"][-1])
