"""`make test` runs the in-process suite on four clocks, each on a share of the test files (CLO_TEST_SHARD=k/n,
tests/conftest.py): the shares must hold every file once, never split one, and be of about the same size, or a test
would not run at all or run twice. Dealt from this suite's own test ids, as the runs of `make test` deal them."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import _shard, file_shares


@pytest.mark.parametrize("count", [3, 4])  # `make test-clocks`, `make test`
def test_the_shares_hold_every_file_once_with_about_as_many_tests(request, count):
    ids = [item.nodeid for item in request.session.items] + [
        f"tests/big.py::t{n}" for n in range(40)] + [f"tests/f{n}.py::t" for n in range(30)]
    shares = file_shares(ids, count)
    files = [path for share in shares for path in share]
    assert sorted(files) == sorted({test_id.split("::", 1)[0] for test_id in ids})  # every file, once
    sizes = [sum(test_id.split("::", 1)[0] in share for test_id in ids) for share in shares]
    largest = max(Counter(test_id.split("::", 1)[0] for test_id in ids).values())
    assert max(sizes) - min(sizes) <= largest  # at most the largest file apart
    assert file_shares(list(reversed(ids)), count) == shares  # the same shares whatever the order of collection


@pytest.mark.parametrize("value", ["3/3", "-1/3", "a/3", "1"])
def test_a_share_that_is_not_k_of_n_is_refused(monkeypatch, value):
    monkeypatch.setenv("CLO_TEST_SHARD", value)
    with pytest.raises(pytest.UsageError, match="CLO_TEST_SHARD"):
        _shard()
