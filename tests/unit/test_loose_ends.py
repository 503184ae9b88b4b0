"""``api.loose_ends``: what a command leaves for its process's end to finish is seen, each kind of it.

Each case runs in a process of its own: the test runner's (threads, exit handlers of its own) is no clean start."""

import subprocess
import sys
import textwrap

import pytest

CASES = {
    "nothing": "",
    "a thread still running": "import threading, time\nthreading.Thread(target=time.sleep, args=(5,), daemon=True).start()",
    "a child still running": "import subprocess\nproc = subprocess.Popen(['sleep', '5'])",
    "a child ended, not waited for": "import subprocess, time\nproc = subprocess.Popen(['true'])\ntime.sleep(0.5)",
    "a file left open for writing": "kept = open(WORK + '/out.txt', 'w')\nkept.write('x')",
    "an exit handler": "import atexit\natexit.register(int)",
    "a temporary directory": "import tempfile\nkept = tempfile.TemporaryDirectory()",
    "a log file": "import logging\nlogging.getLogger('x').addHandler(logging.FileHandler(WORK + '/log.txt'))",
    "logging, its handlers on the standard streams": "import logging\nlogging.getLogger('x').warning('w')\n"
                                                    "logging.getLogger('y').addHandler(logging.StreamHandler())",
    "a file written and closed, a child waited for, a thread joined": (
        "import subprocess, threading\nwith open(WORK + '/out.txt', 'w') as f:\n    f.write('x')\n"
        "subprocess.run(['true'])\nt = threading.Thread(target=print, args=('t',))\nt.start()\nt.join()"),
}
NONE_LEFT = {"nothing", "logging, its handlers on the standard streams",
             "a file written and closed, a child waited for, a thread joined"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_a_command_leaves_is_seen(case, tmp_path):
    script = (
        "import sys\n"
        "from cairn.api.loose_ends import LooseEnds\n"
        f"WORK = {str(tmp_path)!r}\n"
        "before = LooseEnds.before()\n"
        f"{CASES[case]}\n"
        "print('none left' if before.none() else 'left')\n"
    )
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == ("none left" if case in NONE_LEFT else "left")


def test_what_was_open_before_the_command_is_not_its_own(tmp_path):
    """A file the process had open for writing before the command started (the caller's) is not left by it; the same
    number open on another file afterwards is."""
    script = (
        "import os\n"
        "from cairn.api.loose_ends import LooseEnds\n"
        f"first = open({str(tmp_path / 'a')!r}, 'w')\n"
        "before = LooseEnds.before()\n"
        "print(before.none())\n"
        "number = first.fileno()\n"
        "first.close()\n"
        f"second = open({str(tmp_path / 'b')!r}, 'w')\n"
        "assert second.fileno() == number\n"
        "print(before.none())\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False"]
