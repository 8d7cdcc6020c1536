"""One redactor shared by many threads (the gateway's thread pool): no error, nothing leaks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.redaction.helpers import github_token, redactor


def test_shared_redactor_across_threads() -> None:
    known = "tenant-credential-value-01"
    r = redactor(known_secrets=[known])
    texts = [f"{i} token {github_token(i)} and {known} end" for i in range(400)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outs = list(pool.map(r.redact_text, texts))
    assert r.errors == 0
    for i, out in enumerate(outs):
        assert github_token(i) not in out and known not in out
        assert out.startswith(f"{i} token [REDACTED:")


def test_known_secrets_added_while_other_threads_scan() -> None:
    r = redactor()
    values = [f"late-added-secret-{i:04d}" for i in range(50)]

    def work(i: int) -> str:
        if i % 10 == 0:
            r.add_known_secrets(values[i // 10 :: 5])
        return r.redact_text(f"value {values[i % 50]}")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(work, range(200)))
    assert r.errors == 0
    r.add_known_secrets(values)
    assert all(v not in r.redact_text(f"x {v} y") for v in values)
