import os
import sys
import time
import warnings
import logging
import math as m
from math import sqrt as root, floor
from random import seed, random as rnd
os.environ["PYTHONHASHSEED"] = "0"
os.environ["TF_DETERMINISTIC_OPS"] = "1"
print(os.environ["PYTHONHASHSEED"], os.environ.get("TF_DETERMINISTIC_OPS"), os.environ.get("NOT_SET_ANYWHERE", "default"))
print(os.getenv("PYTHONHASHSEED"), "TF_DETERMINISTIC_OPS" in os.environ, os.path.join("a", "b", "c.txt"))
print(type(sys.version).__name__, sys.version[0], isinstance(time.time(), float))
warnings.filterwarnings("ignore")
logging.basicConfig(level=logging.INFO)
logging.info("not printed to stdout")
print(m.floor(2.5), root(16), floor(-0.5))
seed(1)
print(rnd())
t0 = time.perf_counter()
print(time.perf_counter() >= t0)
