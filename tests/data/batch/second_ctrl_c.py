"""Run `charforge ARGS...` with a second Ctrl-C landing while the first one's handler is still running.

Used by tests/test_batch.py. The first SIGINT is sent as soon as charforge installs its handler; the second
when that handler, inside `threading.Event.set`, notifies waiters (it holds the Event's lock then). This is
the interleaving a user's quick double Ctrl-C can produce; here it happens every time.
"""

import os
import signal
import sys
import threading

from charforge.cli import main

in_handler, fired = {"on": False}, {"on": False}
_notify_all, _signal = threading.Condition.notify_all, signal.signal


def notify_all(self, *args):
    if in_handler["on"] and not fired["on"]:
        fired["on"] = True
        os.kill(os.getpid(), signal.SIGINT)  # the second press
        for _ in range(100_000):  # bytecodes: the pending handler runs somewhere in here
            pass
    return _notify_all(self, *args)


def install(signum, handler):
    if signum != signal.SIGINT or handler is signal.default_int_handler or not callable(handler):
        return _signal(signum, handler)

    def first_press(number, frame):
        in_handler["on"] = True
        try:
            handler(number, frame)
        finally:
            in_handler["on"] = False

    previous = _signal(signum, first_press)
    os.kill(os.getpid(), signal.SIGINT)  # the first press, as soon as charforge listens
    return previous


threading.Condition.notify_all = notify_all
signal.signal = install
sys.argv = ["charforge", *sys.argv[1:]]
main()
