"""`make bench`: the load benchmark and the nothing-lost checks (see "Benchmark" in README.md)."""
