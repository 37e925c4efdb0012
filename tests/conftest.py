"""Shared fixtures, and a guard that refuses network access beyond this machine."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import docvlm
from docvlm import OcrUnavailableError, ocr

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

# The ledger of fixtures/ledger_3pages.pdf, written out independently of the generator.
_CUSTOMERS = ["Acme Ltd", "Birch & Co", "Cobalt GmbH", "Dune SA", "Elm Partners"]
LEDGER = [["Date", "Invoice", "Customer", "Amount"]] + [
    [
        f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}",
        f"INV-{1001 + i}",
        _CUSTOMERS[i % 5],
        f"{(i * 137.25) % 2000 + 10:,.2f}",
    ]
    for i in range(90)
]

SALES = [
    ["Region", "Q1", "Q2", "Q3", "Q4"],
    ["North", "12.5", "14.0", "13.2", "15.8"],
    ["South", "9.1", "8.7", "10.4", "11.0"],
    ["East", "20.3", "21.9", "19.5", "22.1"],
    ["West", "7.4", "7.9", "8.8", "9.6"],
    ["Total", "49.3", "52.5", "51.9", "58.5"],
]
STAFF = [
    ["Department", "Staff", "Budget (kEUR)", "Change"],
    ["Finance", "42", "3,150", "+2.1%"],
    ["Research", "118", "12,400", "+6.8%"],
    ["Operations", "305", "21,075", "-1.4%"],
    ["Legal", "17", "1,980", "+0.5%"],
]

_LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOCAL_HOSTS:
        raise RuntimeError(f"tests may not reach the network (tried {address!r})")
    return _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _answer_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh answer cache for each test, never the user's own (``docvlm.cache``)."""
    folder = tmp_path / "answer-cache"
    monkeypatch.setenv("DOCVLM_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


# Results read once and shared by every test that only reads them (nothing may change them).
@pytest.fixture(scope="session")
def sales(fixtures):
    return docvlm.extract(fixtures / "sales_table.pdf")


@pytest.fixture(scope="session")
def bars(fixtures):
    return docvlm.extract(fixtures / "chart_bar.pdf", schema="chart")


@pytest.fixture
def serve():
    """Starts stubs of a service on 127.0.0.1 (``serve(rules)``), shut down after the test."""
    from tests.service_stubs import ServiceStub

    stubs: list[ServiceStub] = []

    def make(rules) -> ServiceStub:
        stubs.append(ServiceStub(rules))
        return stubs[-1]

    yield make
    for stub in stubs:
        stub.close()


@pytest.fixture(scope="module")
def rapidocr() -> str:
    """The RapidOCR backend's name; tests that need it skip where it is not installed."""
    try:
        ocr.get_backend("rapidocr")
    except OcrUnavailableError as exc:
        pytest.skip(str(exc))
    return "rapidocr"
