"""bench_throughput's arithmetic (the run itself is `make bench`, not part of the suite)."""

import pytest

from perf.management.commands.bench_throughput import CEILING, FLOOR, Load, parse_wrk, times_floor

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8731/directory/?q=methadone
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.32ms    5.26ms  51.62ms   92.74%
    Req/Sec   573.76    178.77     0.94k    85.71%
  Latency Distribution
     50%    2.63ms
     75%    4.94ms
     90%    8.02ms
     99%   32.69ms
  1202 requests in 1.10s, 610.75KB read
  Non-2xx or 3xx responses: 12
Requests/sec:   1092.02
Transfer/sec:    554.87KB
"""


def test_it_reads_wrk_figures():
    assert parse_wrk(WRK_OUTPUT) == Load(1092.02, "2.63ms", "32.69ms", 12)


def test_it_counts_no_errors_when_wrk_reports_none():
    output = WRK_OUTPUT.replace("  Non-2xx or 3xx responses: 12\n", "")
    assert parse_wrk(output).non_2xx == 0


def test_it_gives_each_time_as_a_multiple_of_the_floor():
    loads = {CEILING: Load(1000, "", "", 0), FLOOR: Load(400, "", "", 0), "search page": Load(80, "", "", 0)}
    # Time per request is 1 / (requests per second): the ceiling takes 0.4 of the floor's, the search 5 times it.
    assert times_floor(loads) == {CEILING: pytest.approx(0.4), FLOOR: 1, "search page": pytest.approx(5)}
