"""Two gunicorn servers on one machine, as `make serve` starts them: each has its own control
socket in the instance folder, so stopping or starting one never takes the other's away."""
import subprocess
from pathlib import Path

from stats_server import BIN, GENEROUS_SECONDS, ROOT, answers, server_environment, start_gunicorn, stop_gunicorn

INSTANCE = ROOT / "instance"


def control_socket(base: str) -> Path:
    host, port = base.removeprefix("http://").split(":")
    return INSTANCE / f"gunicorn-{host}-{port}.ctl"


def workers_shown(socket_path: Path) -> str:
    shown = subprocess.run([str(BIN / "gunicornc"), "-s", str(socket_path), "-c", "show workers"],
                           capture_output=True, text=True, timeout=30)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    return shown.stdout


def test_each_server_keeps_its_own_control_socket(tmp_path, wait_until):
    env = server_environment(tmp_path)
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    first, first_base = start_gunicorn(env, tmp_path / "first.log", workers=1)
    second = None
    try:
        assert wait_until(lambda: answers(first_base), GENEROUS_SECONDS)
        second, second_base = start_gunicorn(env, tmp_path / "second.log", workers=2)
        assert wait_until(lambda: answers(second_base), GENEROUS_SECONDS)
        first_socket, second_socket = control_socket(first_base), control_socket(second_base)
        assert wait_until(lambda: first_socket.is_socket() and second_socket.is_socket(), GENEROUS_SECONDS)
        assert "Total: 1 workers" in workers_shown(first_socket)
        assert "Total: 2 workers" in workers_shown(second_socket)
        stop_gunicorn(second)
        assert not second_socket.exists()
        assert "Total: 1 workers" in workers_shown(first_socket)
    finally:
        for process in (second, first):
            if process is not None:
                stop_gunicorn(process)
    assert not control_socket(first_base).exists()
