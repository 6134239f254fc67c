"""Issue 35 item 1 (reliability finding 2: a frozen database held every request for as
long as it was frozen): a statement to a database that stops answering fails within
about two seconds, by the client's own watch, and the next ones fail at once; a slow
statement on a database that answers is left alone. PostgreSQL, through a relay that
can be frozen (it keeps the connections open and passes nothing on)."""

import select
import socket
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


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


def within(seconds, statement):
    """(what `statement` raised or None, how long it took); fails the test when it is
    still waiting after `seconds` (a wait the client does not bound)."""
    outcome = []

    def run():
        began = time.monotonic()
        try:
            statement()
            outcome.append((None, time.monotonic() - began))
        except Exception as error:
            outcome.append((error, time.monotonic() - began))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting on the frozen database after {seconds} s"
    return outcome[0]


@pytest.fixture
def through_relay():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL connection's socket is what is watched")
    settings = connection.settings_dict
    relay = Relay((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    db = connections.create_connection("default")  # a connection of its own, relayed
    db.settings_dict = {**settings, "HOST": "127.0.0.1", "PORT": relay.port}
    db.inc_thread_sharing()  # its statements are sent from a thread that times them
    yield relay, db
    relay.frozen.clear()
    db.close()
    db.dec_thread_sharing()
    relay.close()
    from crisisunit import dbwatch

    dbwatch._unanswered_at = float("-inf")


def test_a_statement_to_a_frozen_database_fails_within_two_seconds(through_relay):
    relay, db = through_relay
    with db.cursor() as cursor:
        cursor.execute("SELECT 1")  # connected, answering
    relay.frozen.set()

    failed = within(5, lambda: db.cursor().execute("SELECT 1"))

    assert isinstance(failed[0], OperationalError) and failed[1] < 2.5, failed
    db.close()
    again = within(5, lambda: db.cursor().execute("SELECT 2"))  # not sent, or not connected
    assert isinstance(again[0], OperationalError) and again[1] < 2.5, again


def test_a_slow_statement_on_a_database_that_answers_is_left_alone(through_relay):
    _relay, db = through_relay
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2), 7")
        assert cursor.fetchone()[1] == 7
