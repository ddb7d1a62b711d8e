"""A class JupyterHub for the series: the settings shared by the one-machine recipe and Zero to JupyterHub.

``classroom/hub/jupyterhub_config.py`` starts a hub on one machine (JupyterHub with
configurable-http-proxy; every student logs in with the class password and finds the series
pulled into their home by nbgitpuller). ``classroom/hub/z2jh-values.yaml`` gives the same
settings to Zero to JupyterHub on Kubernetes, for classes that outgrow one machine.
notebooks/TEACHING.md explains both; ``python -m classroom hub-link`` prints the link to share.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlencode

HUB_DIR = Path(__file__).resolve().parent
CONFIG = HUB_DIR / "jupyterhub_config.py"
VALUES = HUB_DIR / "z2jh-values.yaml"
REPOSITORY = "https://github.com/Supposeduck30/mnist-digit-identifier-neural-network"
BRANCH = "main"
TARGET = "mnist-digit-identifier"  # the folder nbgitpuller makes in each home
FIRST_NOTEBOOK = "learner/01_loading_the_data.ipynb"  # the learner edition: exercises blank, solutions folded
STUDENT_CONFIG = HUB_DIR / "student-config"  # page_config.json: no nbgrader authoring tools, no news prompt
IMAGE = "quay.io/jupyter/tensorflow-notebook"  # Jupyter's own image with TensorFlow, for Kubernetes
IMAGE_TAG = "python-3.12"

# Per student, from measured figures (benchmarks/kernel_memory.py; notebooks/TEACHING.md, "A class
# JupyterHub"): a notebook's kernel peaks at 796 MB (04) to 940 MB (09; up to 991 on a loaded machine),
# TensorFlow included; the Jupyter server beside it takes about 150 MB (tests/test_hub.py prints what three take).
MEASURED_KERNEL_MB = 991
MEASURED_SERVER_MB = 150
MEM_GUARANTEE = "1.5G"  # one busy notebook and the server: what a student is sure of when the class is full
MEM_LIMIT = "3G"  # a second notebook open beside it
CPU_LIMIT = 1.0  # training uses what it gets: one core each keeps the class fair
CPU_GUARANTEE = 0.25  # students mostly read and think; a core serves four of them
SYSTEM_CORES, SYSTEM_GB = 2, 4  # the hub, the proxy and the operating system


def nbgitpuller_link(hub: str, *, repository: str = REPOSITORY, branch: str = BRANCH,
                     notebook: str = FIRST_NOTEBOOK) -> str:
    """The link a teacher shares: log in, pull (or update) the series into the home, open the first notebook."""
    query = urlencode({"repo": repository, "branch": branch, "targetpath": TARGET,
                       "urlpath": f"lab/tree/{TARGET}/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def class_needs(students: int) -> tuple[int, int]:
    """(cores, GB of memory) a class of ``students`` needs on its hub, all working at once.

    Memory: each student's guarantee, plus the system's; cores: each student's guaranteed share,
    plus the system's. Rounded up.
    """
    if students < 1:
        raise ValueError("a class has at least one student")
    memory_gb = students * _gigabytes(MEM_GUARANTEE) + SYSTEM_GB
    cores = students * CPU_GUARANTEE + SYSTEM_CORES
    return math.ceil(cores), math.ceil(memory_gb)


def _gigabytes(size: str) -> float:
    """'2G' -> 2.0, '512M' -> 0.5."""
    units = {"G": 1.0, "M": 1 / 1024}
    if not size or size[-1] not in units:
        raise ValueError(f"{size!r} is not a size such as 2G or 512M")
    return float(size[:-1]) * units[size[-1]]
