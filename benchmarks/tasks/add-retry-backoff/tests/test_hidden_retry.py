import unittest

import netutil


class Flaky:
    def __init__(self, fails):
        self.fails, self.calls = fails, 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.fails:
            raise ConnectionError(f"fail {self.calls}")
        return "ok"


class HiddenRetryTest(unittest.TestCase):
    def test_succeeds_after_failures(self):
        waits = []
        fn = Flaky(2)
        self.assertEqual(netutil.retry(fn, attempts=3, base_delay=0.5, sleep=waits.append), "ok")
        self.assertEqual((fn.calls, waits), (3, [0.5, 1.0]))

    def test_gives_up(self):
        waits = []
        fn = Flaky(5)
        with self.assertRaises(ConnectionError) as ctx:
            netutil.retry(fn, attempts=3, base_delay=1, sleep=waits.append)
        self.assertEqual(str(ctx.exception), "fail 3")
        self.assertEqual((fn.calls, waits), (3, [1, 2]))

    def test_first_try(self):
        waits = []
        self.assertEqual(netutil.retry(Flaky(0), sleep=waits.append), "ok")
        self.assertEqual(waits, [])

    def test_bad_attempts(self):
        with self.assertRaises(ValueError):
            netutil.retry(Flaky(0), attempts=0, sleep=lambda s: None)
