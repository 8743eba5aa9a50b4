"""Cutting a child process off the network: a network namespace of its own, with no interface up.

pyoxigraph evaluates SERVICE and LOAD with its own HTTP client. A check of the query text can only
guess what Oxigraph's parser will make of it, and a guess can be dodged (issue 16). A process in a
new, empty network namespace cannot open a connection at all, whatever the query says: the kernel
answers "Network is unreachable", even for 127.0.0.1 (the namespace's loopback stays down).

``unshare(CLONE_NEWNET)`` needs CAP_SYS_ADMIN (root, as on CI). Anyone else first takes a user
namespace of their own (``CLONE_NEWUSER``), mapping their own uid and gid onto themselves, so the
store's files keep their owner. Both must happen before the process starts a thread. Where neither
works (a container whose seccomp filter forbids ``unshare``), ``cut_off_network`` says why and the
caller falls back to a stricter text check.
"""
from __future__ import annotations

import ctypes
import errno
import os
import socket

CLONE_NEWUSER = 0x10000000  # from <linux/sched.h>
CLONE_NEWNET = 0x40000000


def cut_off_network() -> str | None:
    """Move this process into a network namespace of its own; None when done, else why not."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return "unshare is not available (not Linux)"
    if unshare(CLONE_NEWNET) != 0:
        privileged_error = ctypes.get_errno()
        uid, gid = os.getuid(), os.getgid()
        if unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            return (f"unshare(CLONE_NEWNET) failed ({os.strerror(privileged_error)}) and so did "
                    f"unshare(CLONE_NEWUSER | CLONE_NEWNET) ({os.strerror(ctypes.get_errno())})")
        try:  # keep our own uid and gid inside the user namespace; setgroups must be denied first
            for name, line in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                with open(f"/proc/self/{name}", "w") as out:
                    out.write(line)
        except OSError as error:
            return f"the user namespace could not map uid {uid}: {error}"
    return None if network_unreachable() else "a new network namespace still reaches 127.0.0.1"


def network_unreachable() -> bool:
    """Whether this process cannot reach 127.0.0.1. Connecting a UDP socket sends nothing, and
    fails only when there is no route."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("127.0.0.1", 9))
        except OSError as error:
            return error.errno == errno.ENETUNREACH
    return False
