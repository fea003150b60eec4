import os
import t
