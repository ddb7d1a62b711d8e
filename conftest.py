"""Test-wide set-up, loaded by pytest before it starts any notebook kernel.

MPLBACKEND and COLUMNS change what notebooks print (figure reprs, Keras' summary
width), so they are removed here for the kernels nbval starts.
"""

import os

for variable in ("MPLBACKEND", "COLUMNS", "LINES"):
    os.environ.pop(variable, None)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
