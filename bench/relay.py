"""A TCP relay to PostgreSQL that can be frozen: it keeps every connection open and
passes nothing on, as a database whose machine has stalled would (no reset, no
answer). Used by tests/crisisunit/test_frozen_database.py and bench/frozen_db.py."""

import select
import socket
import threading
import time


class Relay:
    """127.0.0.1:<port> relayed to the test database, until frozen."""

    def __init__(self, target):
        self.target = target
        self.frozen = threading.Event()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.sockets = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.sockets.append(client)
            if self.frozen.is_set():
                continue  # accepted, never answered
            upstream = socket.create_connection(self.target)
            self.sockets.append(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a, b):
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 0.05)
                if self.frozen.is_set():
                    time.sleep(0.05)
                    continue
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except (OSError, ValueError):
            return  # the relay closed

    def close(self):
        for sock in self.sockets:
            sock.close()
