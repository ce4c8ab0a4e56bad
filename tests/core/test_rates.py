import datetime
import http.server
import json
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from hamkor.core.models import AuditEvent, ExchangeRate
from hamkor.core.rates import ParsedRate, import_rates, parse_cbu, parse_csv

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 9, 24)


def cbu_entry(ccy="USD", rate="12171.03", nominal="1", date="24.09.2025"):
    return {
        "id": 69,
        "Code": "840",
        "Ccy": ccy,
        "CcyNm_RU": "Доллар США",
        "CcyNm_UZ": "AQSH dollari",
        "CcyNm_UZC": "АҚШ доллари",
        "CcyNm_EN": "US Dollar",
        "Nominal": nominal,
        "Rate": rate,
        "Diff": "-86.1",
        "Date": date,
    }


CBU_JSON = json.dumps(
    [
        cbu_entry(),
        cbu_entry(ccy="KGS", rate="139.2"),
        cbu_entry(ccy="IDR", rate="73.35", nominal="100"),
    ],
    ensure_ascii=False,
)
CSV_TEXT = "date,currency,rate\n2026-11-02,USD,12000\n2026-11-02,KGS,137.5\n"


@pytest.fixture
def write(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


@pytest.fixture
def served():
    """Serve the given bytes at http://127.0.0.1:<random port>/rates.json for one test."""
    servers = []

    def serve(body: bytes, status: int = 200) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/rates.json"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def rates_table():
    return {(r.date, r.currency): r.rate for r in ExchangeRate.objects.all()}


def run(*args):
    out = StringIO()
    call_command("rates", "import", *args, stdout=out)
    return out.getvalue()


# --- parsing ------------------------------------------------------------------------------


def test_parse_cbu_reads_rate_per_one_unit():
    rates = parse_cbu(CBU_JSON)

    assert rates == [
        ParsedRate(date=DAY, currency="USD", rate=Decimal("12171.03")),
        ParsedRate(date=DAY, currency="KGS", rate=Decimal("139.2")),
        ParsedRate(date=DAY, currency="IDR", rate=Decimal("0.7335")),
    ]


def test_parse_cbu_refuses_when_base_currency_is_not_uzs(settings):
    settings.HAMKOR_BASE_CURRENCY = "KGS"

    with pytest.raises(Exception, match="base currency is KGS"):
        parse_cbu(CBU_JSON)


def test_parse_csv_reads_iso_dates_and_rates():
    rates = parse_csv(CSV_TEXT)

    assert rates == [
        ParsedRate(date=datetime.date(2026, 11, 2), currency="USD", rate=Decimal("12000")),
        ParsedRate(date=datetime.date(2026, 11, 2), currency="KGS", rate=Decimal("137.5")),
    ]


def test_parse_csv_names_every_bad_line():
    text = "date,currency,rate\n2026-11-02,XYZ,1\n2026-13-01,USD,1\n2026-11-02,EUR,-3\n"

    with pytest.raises(Exception) as caught:
        parse_csv(text)

    messages = caught.value.messages
    assert messages[0].startswith("Line 2:") and "XYZ" in messages[0]
    assert messages[1].startswith("Line 3:") and "2026-13-01" in messages[1]
    assert messages[2].startswith("Line 4:") and "-3" in messages[2]


def test_parse_csv_refuses_two_rates_for_one_day():
    text = "date,currency,rate\n2026-11-02,USD,12000\n2026-11-02,USD,12100\n"

    with pytest.raises(Exception, match="two different rates"):
        parse_csv(text)


# --- the command --------------------------------------------------------------------------


def test_rates_import_cbu_file(write):
    path = write("rates.json", CBU_JSON)

    output = run(path, "--format", "cbu")

    assert rates_table() == {
        (DAY, "USD"): Decimal("12171.03"),
        (DAY, "KGS"): Decimal("139.2"),
        (DAY, "IDR"): Decimal("0.7335"),
    }
    assert "3 imported, 0 updated, 0 unchanged" in output
    assert ExchangeRate.objects.get(currency="USD").source == "cbu"
    assert AuditEvent.objects.filter(verb="rates.imported").count() == 1


def test_rates_import_csv_file_guessing_the_format(write):
    path = write("rates.csv", CSV_TEXT)

    run(path)

    assert rates_table() == {
        (datetime.date(2026, 11, 2), "USD"): Decimal("12000"),
        (datetime.date(2026, 11, 2), "KGS"): Decimal("137.5"),
    }


def test_rates_import_from_url(served):
    url = served(CBU_JSON.encode())

    output = run(url, "--format", "cbu")

    assert rates_table()[(DAY, "USD")] == Decimal("12171.03")
    assert "3 imported" in output


def test_rates_import_reports_a_failed_download(served):
    url = served(b"gone", status=404)

    with pytest.raises(CommandError, match="Could not download"):
        run(url)

    assert not ExchangeRate.objects.exists()


def test_rates_import_again_is_idempotent(write):
    path = write("rates.json", CBU_JSON)
    run(path)

    output = run(path)

    assert ExchangeRate.objects.count() == 3
    assert "0 imported, 0 updated, 3 unchanged" in output


def test_rates_import_updates_a_changed_rate(write):
    run(write("first.csv", CSV_TEXT))

    output = run(write("second.csv", "date,currency,rate\n2026-11-02,USD,12050.5\n"))

    assert rates_table()[(datetime.date(2026, 11, 2), "USD")] == Decimal("12050.5")
    assert "0 imported, 1 updated" in output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (cbu_entry(ccy="ZZZ"), "ZZZ"),
        (cbu_entry(rate="0"), "not a positive number"),
        (cbu_entry(rate="abc"), "not a positive number"),
        (cbu_entry(rate="1e400"), "not a positive number"),
        (cbu_entry(rate="1", nominal="0"), "not a positive number"),
        (cbu_entry(date="2025-09-24"), "not a date"),
        (cbu_entry(ccy="UZS"), "base currency"),
    ],
)
def test_rates_import_bad_entry_writes_nothing(write, entry, message):
    ExchangeRate.objects.create(date=DAY, currency="USD", rate=Decimal("12000"))
    path = write("rates.json", json.dumps([cbu_entry(ccy="EUR", rate="14000"), entry]))

    with pytest.raises(CommandError, match=message) as caught:
        run(path, "--format", "cbu")

    assert "Entry 2" in str(caught.value)
    assert rates_table() == {(DAY, "USD"): Decimal("12000")}


def test_rates_import_refuses_json_that_is_not_an_array(write):
    with pytest.raises(CommandError, match="JSON array"):
        run(write("rates.json", '{"Ccy": "USD"}'), "--format", "cbu")


def test_rates_import_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Could not read"):
        run(str(tmp_path / "nope.csv"))


# run_from_argv closes the database connection when a command fails, which a test wrapped
# in one transaction would not survive on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_rates_import_exits_non_zero_on_bad_input(write, capsys):
    path = write("rates.csv", "date,currency,rate\nyesterday,USD,1\n")

    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["hamkor", "rates", "import", path]).execute()

    assert caught.value.code == 1
    assert "Line 2" in capsys.readouterr().err
    assert not ExchangeRate.objects.exists()


def test_import_rates_with_nothing_to_import_writes_nothing():
    result = import_rates(rates=[], source="csv")

    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
